namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The three ways the validation of an access token can end.
/// </summary>
public enum JoinMeTokenValidationOutcome
{
    /// <summary>join.me vouches for the token, it was issued to an allowed client, and it has not expired.</summary>
    Valid,

    /// <summary>The token is malformed, unknown, revoked, expired or issued to another client. Answered with 401.</summary>
    Rejected,

    /// <summary>join.me could not be asked or gave no usable answer; nothing is known about the token. Answered with 503 by default.</summary>
    Unavailable,
}
