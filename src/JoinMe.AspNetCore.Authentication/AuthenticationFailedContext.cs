namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.AuthenticationFailed"/>.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="reason">Why the token was not accepted.</param>
public class AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeFailureReason reason)
    : ResultContext<JoinMeOptions>(context, scheme, options)
{
    /// <summary>Why the token was not accepted.</summary>
    public JoinMeFailureReason Reason { get; } = reason;
}
