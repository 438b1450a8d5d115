namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>The exact <c>WWW-Authenticate</c> values the sample answers with (default options: no realm, error details on).</summary>
public static class Challenges
{
    /// <summary>No join.me token in the request at all (RFC 6750 §3.1: no error code).</summary>
    public const string NoToken = "Bearer";

    public const string Malformed = "Bearer error=\"invalid_token\", error_description=\"The access token is malformed.\"";

    public const string Invalid = "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"";

    public const string Expired = "Bearer error=\"invalid_token\", error_description=\"The access token has expired.\"";

    public const string Revoked = "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked.\"";

    public const string InvalidRequest = "Bearer error=\"invalid_request\", error_description=\"The request carries more than one access token.\"";

    /// <summary>A 503 carries no challenge: the token may be good, join.me could not say.</summary>
    public const string? Unavailable = null;

    /// <summary>The <c>Retry-After</c> of a 503 with the default options.</summary>
    public const string RetryAfter = "5";

    public static string InsufficientScope(string scope) => $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
}
