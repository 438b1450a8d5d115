namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// What join.me's tokenInfo endpoint said about an access token: the facts that are cached and judged against each scheme's options on every request.
/// </summary>
/// <param name="ClientId">The API key (client id) the token was issued to, or <see langword="null"/> when the answer had none.</param>
/// <param name="Scopes">The scopes the user consented to; empty when none.</param>
/// <param name="ExpiresAt">When the token expires, or <see langword="null"/> when the answer did not say.</param>
public sealed record JoinMeTokenInfo(string? ClientId, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);
