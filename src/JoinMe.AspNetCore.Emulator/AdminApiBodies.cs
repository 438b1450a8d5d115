using System.Text.Json.Serialization;

namespace JoinMe.AspNetCore.Emulator;

/// <summary><c>{"client_id", "redirect_uri"}</c>: a client registration, asked for or listed.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ClientBody(string? ClientId, string? RedirectUri);

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
