namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The claim types the join.me handler puts on the principal of an authenticated request.
/// </summary>
public static class JoinMeClaimTypes
{
    /// <summary>One claim per granted scope.</summary>
    public const string Scope = "scope";

    /// <summary>The API key (client id) the token was issued to.</summary>
    public const string ClientId = "client_id";

    /// <summary>When the token expires, as an ISO 8601 UTC date and time.</summary>
    public const string ExpiresAt = "expires_at";
}
