using JoinMe.AspNetCore.Authentication;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Settings of the join.me emulator. Every behaviour of join.me that is not documented is a setting
/// here, defaulting to the project's decision (docs/join.me.md, "The emulator's settings, one per unknown").
/// <c>AddJoinMeEmulator</c> also reads them from the configuration section <c>JoinMeEmulator</c>.
/// </summary>
public sealed class JoinMeEmulatorOptions
{
    /// <summary>The configuration section <c>AddJoinMeEmulator</c> reads.</summary>
    internal const string ConfigurationSection = "JoinMeEmulator";

    /// <summary>The longest token lifetime the emulator accepts.</summary>
    internal static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// Lets the emulator run where it is unsafe, for test hosts only. Default: <see langword="false"/>.
    /// Configuration key: <c>JoinMeEmulator:UnsafeAllowOutsideDevelopment</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Anyone who can reach the emulator can mint tokens that an app validating against it accepts. So,
    /// unless this is <see langword="true"/> in the app's options:
    /// </para>
    /// <list type="bullet">
    /// <item><c>AddJoinMeEmulator</c>, <c>AddJoinMeEmulatorBackchannel</c> and <c>MapJoinMeEmulator</c> stop the app at
    /// start-up in any environment other than Development;</item>
    /// <item>the in-memory backchannel refuses, as a connection failure, a tokenInfo request addressed to a real host
    /// (anything but <c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8 and ::1), such as join.me's own
    /// <c>https://secure.join.me</c>: an app whose JoinMe authority names a real host is configured for join.me, not
    /// for the emulator.</item>
    /// </list>
    /// <para>
    /// Set it in a test host whose environment is not Development, or whose app keeps join.me's real authority
    /// (<c>WithJoinMeEmulator</c> sets it for the test hosts it makes). Never set it in a deployed app.
    /// The value that counts is the app's (<c>AddJoinMeEmulator(o =&gt; ...)</c>, <c>Configure&lt;JoinMeEmulatorOptions&gt;</c>
    /// or configuration); an emulator's own copy only decides for handlers made with
    /// <see cref="JoinMeEmulator.CreateBackchannelHandler()"/>.
    /// </para>
    /// </remarks>
    public bool UnsafeAllowOutsideDevelopment { get; set; }

    /// <summary>
    /// The unit of <c>expires_in</c> in the authorize redirect's fragment.
    /// Default: <see cref="JoinMeExpiresInUnit.Minutes"/>, as join.me's example (<c>1440</c>) suggests.
    /// </summary>
    public JoinMeExpiresInUnit ExpiresInUnit { get; set; } = JoinMeExpiresInUnit.Minutes;

    /// <summary>
    /// How tokenInfo writes <c>expires_at</c>. Default: <see cref="JoinMeExpiresAtFormat.Iso8601Utc"/>.
    /// </summary>
    public JoinMeExpiresAtFormat ExpiresAtFormat { get; set; } = JoinMeExpiresAtFormat.Iso8601Utc;

    /// <summary>
    /// How tokenInfo answers for an unknown, expired or revoked token.
    /// Default: <see cref="JoinMeInvalidTokenResponse.Unauthorized"/> (401 with a JSON body).
    /// </summary>
    public JoinMeInvalidTokenResponse InvalidTokenResponse { get; set; } = JoinMeInvalidTokenResponse.Unauthorized;

    /// <summary>
    /// How long a token lives when no lifetime is asked for (the authorize endpoint never asks).
    /// Default: 24 hours, as join.me documents for the implicit grant. Must be positive and at most
    /// 3650 days.
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a revocation takes to reach tokenInfo: a revoked token stays valid there for this long.
    /// Default: zero (at once). join.me documents up to 10 minutes. Must not be negative.
    /// </summary>
    public TimeSpan RevocationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The scope names the emulator knows; the authorize endpoint and token minting reject any other.
    /// Default: <see cref="JoinMeScopes.All"/>. Must not be empty; names must not be empty or contain whitespace.
    /// </summary>
    public IList<string> Scopes { get; } = [.. JoinMeScopes.All];

    /// <summary>
    /// Clients registered when the emulator starts, and again after <see cref="JoinMeEmulator.Reset"/>, each with one or more
    /// Callback URLs. Default: none.
    /// </summary>
    public IList<JoinMeEmulatorClient> Clients { get; } = [];

    /// <summary>What could not be read from configuration, one message per key; reported by <see cref="Validate"/>.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>
    /// Checks every setting and describes what is wrong with each bad one.
    /// </summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    internal List<string> Validate()
    {
        var errors = new List<string>(ConfigurationErrors);

        if (!Enum.IsDefined(ExpiresInUnit))
        {
            errors.Add($"JoinMeEmulatorOptions.ExpiresInUnit has the undefined value {(int)ExpiresInUnit}; use Minutes or Seconds.");
        }

        if (!Enum.IsDefined(ExpiresAtFormat))
        {
            errors.Add($"JoinMeEmulatorOptions.ExpiresAtFormat has the undefined value {(int)ExpiresAtFormat}; use Iso8601Utc, UnixSeconds or UnixMilliseconds.");
        }

        if (!Enum.IsDefined(InvalidTokenResponse))
        {
            errors.Add($"JoinMeEmulatorOptions.InvalidTokenResponse has the undefined value {(int)InvalidTokenResponse}; use Unauthorized or GatewayForbidden.");
        }

        if (TokenLifetime <= TimeSpan.Zero || TokenLifetime > MaxTokenLifetime)
        {
            errors.Add($"JoinMeEmulatorOptions.TokenLifetime is {TokenLifetime}; it must be positive and at most {MaxTokenLifetime.TotalDays} days (join.me's tokens live 24 hours).");
        }

        if (RevocationDelay < TimeSpan.Zero || RevocationDelay > MaxTokenLifetime)
        {
            errors.Add($"JoinMeEmulatorOptions.RevocationDelay is {RevocationDelay}; it must be zero or positive, and at most {MaxTokenLifetime.TotalDays} days (join.me documents up to 10 minutes).");
        }

        if (Scopes.Count == 0)
        {
            errors.Add("JoinMeEmulatorOptions.Scopes is empty; the emulator must know at least one scope name (the default is JoinMeScopes.All).");
        }

        foreach (var scope in Scopes)
        {
            if (!JoinMeEmulatorValidation.IsScopeName(scope))
            {
                errors.Add($"JoinMeEmulatorOptions.Scopes contains '{scope}', which is not a scope name: scope names are non-empty and contain no whitespace, quote or backslash.");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in Clients)
        {
            if (client is null)
            {
                errors.Add("JoinMeEmulatorOptions.Clients contains null.");
                continue;
            }

            if (JoinMeEmulatorValidation.ValidateClient(client.ClientId, client.RedirectUris) is { } clientError)
            {
                errors.Add($"JoinMeEmulatorOptions.Clients: {clientError}");
            }
            else if (!seen.Add(client.ClientId))
            {
                errors.Add($"JoinMeEmulatorOptions.Clients registers the client '{client.ClientId}' more than once; give one registration all its Callback URLs.");
            }
        }

        return errors;
    }

    /// <summary>
    /// Copies the options, so that the emulator keeps the values it was created with.
    /// </summary>
    internal JoinMeEmulatorOptions Clone()
    {
        var copy = new JoinMeEmulatorOptions
        {
            ExpiresInUnit = ExpiresInUnit,
            ExpiresAtFormat = ExpiresAtFormat,
            InvalidTokenResponse = InvalidTokenResponse,
            TokenLifetime = TokenLifetime,
            RevocationDelay = RevocationDelay,
            UnsafeAllowOutsideDevelopment = UnsafeAllowOutsideDevelopment,
        };
        copy.Scopes.Clear();
        foreach (var scope in Scopes)
        {
            copy.Scopes.Add(scope);
        }

        foreach (var client in Clients)
        {
            copy.Clients.Add(client);
        }

        return copy;
    }
}
