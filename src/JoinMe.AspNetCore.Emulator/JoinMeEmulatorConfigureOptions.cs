using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Reads <see cref="JoinMeEmulatorOptions"/> from the configuration section <c>JoinMeEmulator</c>, before any code configures
/// them. A value that cannot be read is reported by the options' validation, naming the key. Read by hand rather than by the
/// configuration binder, which needs reflection (the package is trimmable) and cannot build a <see cref="JoinMeEmulatorClient"/>.
/// </summary>
/// <example>
/// <code>
/// "JoinMeEmulator": {
///   "TokenLifetime": "01:00:00",
///   "ExpiresAtFormat": "UnixSeconds",
///   "Clients": [ { "ClientId": "demo-client", "RedirectUris": [ "http://localhost:5080/", "http://localhost:5080/scalar/" ] } ]
/// }
/// </code>
/// </example>
/// <param name="configuration">The app's configuration; <see langword="null"/> in a bare service provider.</param>
internal sealed class JoinMeEmulatorConfigureOptions(IConfiguration? configuration = null) : IConfigureOptions<JoinMeEmulatorOptions>
{
    /// <inheritdoc />
    public void Configure(JoinMeEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration?.GetSection(JoinMeEmulatorOptions.ConfigurationSection);
        if (section is null || !section.Exists())
        {
            return;
        }

        var errors = options.ConfigurationErrors;
        Read<bool>(section, nameof(JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment), "true or false",
            bool.TryParse, value => options.UnsafeAllowOutsideDevelopment = value, errors);
        Read<JoinMeExpiresInUnit>(section, nameof(JoinMeEmulatorOptions.ExpiresInUnit), "Minutes or Seconds",
            TryParseEnum, value => options.ExpiresInUnit = value, errors);
        Read<JoinMeExpiresAtFormat>(section, nameof(JoinMeEmulatorOptions.ExpiresAtFormat), "Iso8601Utc, UnixSeconds or UnixMilliseconds",
            TryParseEnum, value => options.ExpiresAtFormat = value, errors);
        Read<JoinMeInvalidTokenResponse>(section, nameof(JoinMeEmulatorOptions.InvalidTokenResponse), "Unauthorized or GatewayForbidden",
            TryParseEnum, value => options.InvalidTokenResponse = value, errors);
        Read<TimeSpan>(section, nameof(JoinMeEmulatorOptions.TokenLifetime), "a time span such as 1.00:00:00 (a day) or 00:30:00",
            TryParseTimeSpan, value => options.TokenLifetime = value, errors);
        Read<TimeSpan>(section, nameof(JoinMeEmulatorOptions.RevocationDelay), "a time span such as 00:10:00",
            TryParseTimeSpan, value => options.RevocationDelay = value, errors);

        var scopes = section.GetSection(nameof(JoinMeEmulatorOptions.Scopes)).GetChildren().Select(child => child.Value ?? string.Empty).ToList();
        if (scopes.Count > 0)
        {
            options.Scopes.Clear();
            foreach (var scope in scopes)
            {
                options.Scopes.Add(scope);
            }
        }

        foreach (var client in section.GetSection(nameof(JoinMeEmulatorOptions.Clients)).GetChildren())
        {
            var single = client[nameof(JoinMeEmulatorClient.RedirectUri)];
            var several = client.GetSection(nameof(JoinMeEmulatorClient.RedirectUris)).GetChildren().Select(child => child.Value ?? string.Empty);
            options.Clients.Add(new JoinMeEmulatorClient(
                client[nameof(JoinMeEmulatorClient.ClientId)] ?? string.Empty,
                [.. single is null ? [] : new[] { single }, .. several]));
        }
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static void Read<T>(IConfigurationSection section, string key, string expected, TryParse<T> tryParse, Action<T> set, List<string> errors)
    {
        if (section[key] is not { } text)
        {
            return;
        }

        if (tryParse(text.Trim(), out var value))
        {
            set(value);
        }
        else
        {
            errors.Add($"{JoinMeEmulatorOptions.ConfigurationSection}:{key} is '{text}'; it must be {expected}.");
        }
    }

    /// <summary>Reads an enum value by name, in any case; a number is read too, and an undefined one reported by validation.</summary>
    private static bool TryParseEnum<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum => Enum.TryParse(text, ignoreCase: true, out value);

    private static bool TryParseTimeSpan(string text, out TimeSpan value) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
}
