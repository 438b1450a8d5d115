namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Why a token was not accepted. Each reason belongs to exactly one <see cref="JoinMeTokenValidationOutcome"/>.
/// </summary>
public enum JoinMeFailureReason
{
    /// <summary>The token was accepted.</summary>
    None,

    /// <summary>The request carried the token in a way RFC 6750 forbids (several Authorization headers, header and query together). Rejected.</summary>
    InvalidRequest,

    /// <summary>The token is not RFC 6750 <c>b64token</c> syntax or is longer than allowed. Rejected without calling tokenInfo.</summary>
    MalformedToken,

    /// <summary>join.me does not know the token, or says it is stale or revoked. Rejected.</summary>
    InvalidToken,

    /// <summary>The token has expired. Rejected.</summary>
    Expired,

    /// <summary>The token was issued to a client that is not in <see cref="JoinMeOptions.AllowedClientIds"/> (the confused deputy). Rejected.</summary>
    ClientNotAllowed,

    /// <summary>join.me answered that it is over its rate limit. Unavailable.</summary>
    RateLimited,

    /// <summary>join.me could not be reached, timed out, redirected, or answered with a server error. Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>join.me answered with a body that is not a readable tokenInfo object, or one too large. Unavailable.</summary>
    UnreadableResponse,

    /// <summary>Too many tokenInfo calls are in flight, or the circuit to join.me is open. Unavailable.</summary>
    Throttled,
}
