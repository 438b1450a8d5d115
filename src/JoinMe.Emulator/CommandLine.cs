namespace JoinMe.Emulator;

/// <summary>
/// The command line of <c>joinme-emulator</c>: <c>--help</c>, or settings as <c>--key value</c> / <c>--key=value</c> for the keys it
/// knows (<c>urls</c>, <c>environment</c>, <c>JoinMeEmulator:*</c>, <c>Logging:*</c>). Anything else is an error, so that a
/// mistyped option is not silently ignored as configuration.
/// </summary>
internal sealed record CommandLine(bool Help, string? Error, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>Where the emulator listens unless told otherwise: this machine only, on a port beside the sample's 5080.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5090";

    /// <summary>The client registered unless the configuration registers others: the sample's browser page.</summary>
    public const string DemoClientId = "demo-client";

    /// <summary>The demo client's Callback URL: the sample's page (<c>dotnet run --project samples/WebApi</c>).</summary>
    public const string DemoRedirectUri = "http://localhost:5080/";

    private static readonly string[] SettingPrefixes = ["JoinMeEmulator:", "Logging:"];

    private static readonly string[] PlainKeys = ["urls", "environment"];

    /// <summary>What <c>--help</c> prints.</summary>
    public static string Usage => $"""
        joinme-emulator: a stand-in for join.me's OAuth 2.0 server (authorize, tokenInfo and an admin API) for development.

        Usage: joinme-emulator [options]

        Options:
          --urls URLS                  Where to listen; several separated by ';'. Default: {DefaultUrls} (this machine only).
          --environment NAME           The host environment. Default: Development. Elsewhere the emulator refuses to start
                                       unless --JoinMeEmulator:UnsafeAllowOutsideDevelopment true is given (test hosts only).
          --JoinMeEmulator:KEY VALUE   An emulator setting, as in the JoinMeEmulator section of appsettings.json:
                                         --JoinMeEmulator:TokenLifetime 01:00:00        (default 1.00:00:00)
                                         --JoinMeEmulator:ExpiresAtFormat UnixSeconds    (Iso8601Utc, UnixSeconds, UnixMilliseconds)
                                         --JoinMeEmulator:ExpiresInUnit Seconds          (Minutes, Seconds)
                                         --JoinMeEmulator:InvalidTokenResponse GatewayForbidden   (or Unauthorized)
                                         --JoinMeEmulator:RevocationDelay 00:10:00       (default 00:00:00)
                                         --JoinMeEmulator:Clients:0:ClientId my-app
                                         --JoinMeEmulator:Clients:0:RedirectUris:0 http://localhost:3000/
                                       Clients replace the default one: {DemoClientId}, with Callback URL {DemoRedirectUri}.
          --Logging:KEY VALUE          A logging setting, such as --Logging:LogLevel:Default Information.
          -h, --help                   Show this help.

        Environment variables are read too (JoinMeEmulator__TokenLifetime, ASPNETCORE_URLS, ASPNETCORE_ENVIRONMENT, ...).
        The admin API (/_emulator/clients, /_emulator/tokens, ...) answers this machine only.

        Point an API at it:
          --Authentication:Schemes:JoinMe:Authority http://127.0.0.1:5090 --Authentication:Schemes:JoinMe:RequireHttpsAuthority false

        Exit codes: 0 stopped; 1 could not start (the port is taken, say); 2 bad arguments or settings.
        """;

    /// <summary>Reads the arguments; the first problem found is the <see cref="Error"/>.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "/?")
            {
                return new CommandLine(Help: true, Error: null, settings);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                return Fail($"unexpected argument '{arg}'; options start with --.");
            }

            var (key, value) = arg.IndexOf('=', StringComparison.Ordinal) is var equals and > 2
                ? (arg[2..equals], arg[(equals + 1)..])
                : (arg[2..], null);
            if (!IsKnown(key))
            {
                return Fail($"unknown option '--{key}'.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return Fail($"--{key} needs a value.");
                }

                value = args[++i];
            }

            if (key.Equals("urls", StringComparison.OrdinalIgnoreCase) && InvalidUrl(value) is { } url)
            {
                return Fail($"--urls: '{url}' is not a URL to listen on, such as {DefaultUrls}.");
            }

            settings[key] = value;
        }

        return new CommandLine(Help: false, Error: null, settings);

        CommandLine Fail(string error) => new(Help: false, $"{error} Run joinme-emulator --help for the options.", settings);
    }

    private static string? InvalidUrl(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return url;
            }
        }

        return urls.Trim().Length == 0 ? urls : null;
    }

    private static bool IsKnown(string key) =>
        PlainKeys.Contains(key, StringComparer.OrdinalIgnoreCase)
        || SettingPrefixes.Any(prefix => key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
