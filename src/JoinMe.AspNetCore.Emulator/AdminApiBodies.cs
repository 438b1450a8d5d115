using System.Text.Json.Serialization;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// <c>{"client_id", "redirect_uri", "redirect_uris"}</c>: a client registration, asked for (with either or both Callback URL
/// properties) or listed (<c>redirect_uri</c> is the first of <c>redirect_uris</c>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ClientBody(string? ClientId, string? RedirectUri, IReadOnlyList<string?>? RedirectUris)
{
    /// <summary>The body that lists <paramref name="client"/>.</summary>
    public static ClientBody Of(JoinMeEmulatorClient client) => new(client.ClientId, client.RedirectUri, client.RedirectUris);

    /// <summary>Every Callback URL asked for: <c>redirect_uri</c> first, then <c>redirect_uris</c>.</summary>
    public List<string?> AllRedirectUris() => [.. RedirectUri is null ? [] : new[] { RedirectUri }, .. RedirectUris ?? []];
}

/// <summary><c>{"client_id", "scope", "expires_in"}</c>: a request to mint a token.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record MintTokenBody(string? ClientId, string? Scope, long? ExpiresIn);

/// <summary><c>{"access_token", "expires_at"}</c>: a minted token.</summary>
internal sealed record MintedTokenBody(string AccessToken, string ExpiresAt);

/// <summary><c>{"mode", "delay_ms"}</c>: the fault tokenInfo shows, asked for or current.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record FaultBody(string? Mode, long? DelayMs);

/// <summary><c>{"tokenInfoCalls"}</c>: the emulator's counters.</summary>
internal sealed record StatsBody([property: JsonPropertyName("tokenInfoCalls")] long TokenInfoCalls);

/// <summary><c>{"error"}</c>: what is wrong with an admin request.</summary>
internal sealed record ErrorBody(string Error);
