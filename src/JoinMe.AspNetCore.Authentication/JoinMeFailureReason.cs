namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Why a token was not accepted. A reason is either a rejection (401, or 400 for <see cref="InvalidRequest"/>: the token is no good) or says that the
/// token could not be judged now (503 by default, 429 for <see cref="CallerOverBudget"/>: the client should keep the token and try again later).
/// </summary>
public enum JoinMeFailureReason
{
    /// <summary>The token was accepted.</summary>
    None,

    /// <summary>The request carried the token in a way RFC 6750 forbids (several Authorization headers, header and query together). Rejected with 400.</summary>
    InvalidRequest,

    /// <summary>The token is not RFC 6750 <c>b64token</c> syntax or is longer than allowed. Rejected without calling tokenInfo.</summary>
    MalformedToken,

    /// <summary>join.me does not know the token, or says it is stale or revoked; or a <see cref="JoinMeEvents.OnTokenInfoReceived"/> handler rejected it. Rejected.</summary>
    InvalidToken,

    /// <summary>The token has expired. Rejected.</summary>
    Expired,

    /// <summary>The token was issued to a client that is not in <see cref="JoinMeOptions.AllowedClientIds"/> (the confused deputy). Rejected.</summary>
    ClientNotAllowed,

    /// <summary>The application revoked the token (<see cref="JoinMeTokenCache.RevokeAsync"/>), for example when its user signed out. Rejected.</summary>
    Revoked,

    /// <summary>join.me answered that it is over its rate limit. Not judged.</summary>
    RateLimited,

    /// <summary>join.me could not be reached, timed out, redirected, or answered with a server error. Not judged.</summary>
    ServiceUnavailable,

    /// <summary>join.me answered with a body that is not a readable tokenInfo object, or one too large. Not judged.</summary>
    UnreadableResponse,

    /// <summary>
    /// Too many tokenInfo calls are in flight, the app's own ceiling on calls per second was reached, or the circuit to join.me is open. Not judged.
    /// </summary>
    Throttled,

    /// <summary>The caller has brought more new tokens than <see cref="JoinMeOptions.MaxCacheMissesPerCallerPerMinute"/> allows. Not judged; answered with 429.</summary>
    CallerOverBudget,
}
