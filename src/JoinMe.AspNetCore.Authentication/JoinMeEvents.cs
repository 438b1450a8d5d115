namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The events raised by the join.me handler. Set a delegate, or derive and override the virtual method.
/// </summary>
public class JoinMeEvents
{
    /// <summary>Raised first for every request; can supply the token from somewhere else, or end authentication.</summary>
    public Func<MessageReceivedContext, Task> OnMessageReceived { get; set; } = context => Task.CompletedTask;

    /// <summary>
    /// Raised each time what tokenInfo said about a token is judged, from the cache or fresh, before the client id and expiry checks:
    /// can adjust <see cref="TokenInfoReceivedContext.TokenInfo"/> for this request, or reject the token. Nothing it does is cached.
    /// </summary>
    public Func<TokenInfoReceivedContext, Task> OnTokenInfoReceived { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised when a token was accepted and its principal built; can add claims, or fail the request.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised when a token was rejected or could not be validated.</summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised before a challenge (401, 400, 429 or 503) is written; can change it or write the response itself.</summary>
    public Func<JoinMeChallengeContext, Task> OnChallenge { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised before a 403 is written; can change it or write the response itself.</summary>
    public Func<ForbiddenContext, Task> OnForbidden { get; set; } = context => Task.CompletedTask;

    /// <summary>Invoked first for every request.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task MessageReceived(MessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invoked each time a tokenInfo answer is judged.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task TokenInfoReceived(TokenInfoReceivedContext context) => OnTokenInfoReceived(context);

    /// <summary>Invoked when a token was accepted.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task TokenValidated(TokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invoked when a token was not accepted.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task AuthenticationFailed(AuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invoked before a challenge is written.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task Challenge(JoinMeChallengeContext context) => OnChallenge(context);

    /// <summary>Invoked before a 403 is written.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task Forbidden(ForbiddenContext context) => OnForbidden(context);
}
