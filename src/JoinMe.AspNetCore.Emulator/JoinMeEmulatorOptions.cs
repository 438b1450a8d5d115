using JoinMe.AspNetCore.Authentication;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Settings of the join.me emulator. Every behaviour of join.me that is not documented is a setting
/// here, defaulting to the project's decision (docs/join.me.md, "The emulator's settings, one per unknown").
/// </summary>
public sealed class JoinMeEmulatorOptions
{
    /// <summary>The longest token lifetime the emulator accepts.</summary>
    internal static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(3650);

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
    /// Clients registered when the emulator starts, and again after <see cref="JoinMeEmulator.Reset"/>.
    /// Default: none.
    /// </summary>
    public IList<JoinMeEmulatorClient> Clients { get; } = [];

    /// <summary>
    /// Checks every setting and describes what is wrong with each bad one.
    /// </summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    internal List<string> Validate()
    {
        var errors = new List<string>();

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

            if (JoinMeEmulatorValidation.ValidateClient(client.ClientId, client.RedirectUri) is { } clientError)
            {
                errors.Add($"JoinMeEmulatorOptions.Clients: {clientError}");
            }
            else if (!seen.Add(client.ClientId))
            {
                errors.Add($"JoinMeEmulatorOptions.Clients registers the client '{client.ClientId}' more than once; a client has exactly one Callback URL.");
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
