using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;

namespace WebApi;

/// <summary>
/// How the sample runs: against the emulator it hosts itself (the Development default), or against join.me.
/// </summary>
/// <param name="UseEmulator">Whether the sample hosts the join.me emulator at its own origin.</param>
/// <param name="ClientId">The join.me API key the browser page signs in with.</param>
/// <param name="AuthorizeEndpoint">Where the page sends the browser to sign in.</param>
/// <param name="ConfiguredRedirectUri">The Callback URL registered at join.me, or <see langword="null"/> for the page's own address.</param>
internal sealed record SampleSettings(bool UseEmulator, string ClientId, string AuthorizeEndpoint, string? ConfiguredRedirectUri)
{
    /// <summary>
    /// Where Scalar's sign-in comes back to, at the sample's own origin: a static page that leaves the fragment alone, so that
    /// Scalar reads the token from its popup. (The sample's page wipes the fragment at once, which would race Scalar.) Scalar
    /// resolves the path against the document's server, the address the API reference was opened at.
    /// </summary>
    public const string ScalarCallbackPath = "/oauth2-callback.html";

    /// <summary>The scopes the sample's API requires, which Scalar asks for unless the user unticks them.</summary>
    public static IReadOnlyList<string> ApiScopes { get; } = [JoinMeScopes.UserInfo, JoinMeScopes.Scheduler, JoinMeScopes.StartMeeting];

    /// <summary>The Callback URL the page must send: the one the emulator's demo client is registered with, or the configured one.</summary>
    public string? RedirectUri(IServiceProvider services) =>
        UseEmulator && services.GetService<JoinMeEmulator>() is { } emulator && emulator.TryGetClient(ClientId, out var client)
            ? client.RedirectUri
            : ConfiguredRedirectUri;

    /// <summary>
    /// Points the JoinMe scheme at the emulator the sample hosts: tokenInfo is answered in memory, and the emulator's backchannel
    /// answers only an authority on this machine, never join.me's real one from appsettings.json.
    /// </summary>
    public static void PointAtHostedEmulator(JoinMeOptions options)
    {
        options.Authority = "http://localhost";
        options.RequireHttpsAuthority = false;
    }

    public static SampleSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var useEmulator = configuration.GetValue("Sample:UseEmulator", environment.IsDevelopment());
        var scheme = configuration.GetSection($"Authentication:Schemes:{JoinMeAuthenticationDefaults.AuthenticationScheme}");
        var clientId = configuration["Sample:ClientId"]
            ?? scheme.GetSection(nameof(JoinMeOptions.AllowedClientIds)).GetChildren().Select(child => child.Value).FirstOrDefault(value => !string.IsNullOrEmpty(value))
            ?? "demo-client";
        var authority = (scheme[nameof(JoinMeOptions.Authority)] ?? JoinMeAuthenticationDefaults.Authority).TrimEnd('/');
        var authorizeEndpoint = useEmulator
            ? JoinMeAuthenticationDefaults.AuthorizePath
            : authority + JoinMeAuthenticationDefaults.AuthorizePath;
        return new SampleSettings(useEmulator, clientId, authorizeEndpoint, configuration["Sample:RedirectUri"]);
    }
}
