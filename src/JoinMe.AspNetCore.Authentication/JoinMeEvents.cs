namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The events raised by the join.me handler. Set a delegate, or derive and override the virtual method.
/// </summary>
public class JoinMeEvents
{
    /// <summary>Raised first for every request; can supply the token from somewhere else, or end authentication.</summary>
    public Func<MessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceivedHandler;

    /// <summary>
    /// Raised once per tokenInfo call, before its answer is judged and cached; can inspect or adjust the answer, or reject the token.
    /// Every request waiting for that call shares the result, so the context carries no request.
    /// </summary>
    public Func<TokenInfoReceivedContext, Task> OnTokenInfoReceived { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised when a token was accepted and its principal built; can add claims, or fail the request.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidatedHandler;

    /// <summary>Raised when a token was rejected or could not be validated.</summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised before a challenge (401 or 503) is written; can change it or write the response itself.</summary>
    public Func<JoinMeChallengeContext, Task> OnChallenge { get; set; } = context => Task.CompletedTask;

    /// <summary>Raised before a 403 is written; can change it or write the response itself.</summary>
    public Func<ForbiddenContext, Task> OnForbidden { get; set; } = context => Task.CompletedTask;

    private static readonly Func<MessageReceivedContext, Task> NoMessageReceivedHandler = context => Task.CompletedTask;

    private static readonly Func<TokenValidatedContext, Task> NoTokenValidatedHandler = context => Task.CompletedTask;

    // The two events raised on every request are skipped, with their contexts, when nobody listens.
    internal bool HasMessageReceivedHandler =>
        GetType() != typeof(JoinMeEvents) || !ReferenceEquals(OnMessageReceived, NoMessageReceivedHandler);

    internal bool HasTokenValidatedHandler =>
        GetType() != typeof(JoinMeEvents) || !ReferenceEquals(OnTokenValidated, NoTokenValidatedHandler);

    /// <summary>Invoked first for every request.</summary>
    /// <param name="context">The event's context.</param>
    public virtual Task MessageReceived(MessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invoked once per tokenInfo answer, before it is judged and cached.</summary>
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
