namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The failure of an authentication by the join.me handler, as found in <c>AuthenticateResult.Failure</c>.
/// Its message is fixed text per reason and never contains the token.
/// </summary>
public sealed class JoinMeAuthenticationException : Exception
{
    /// <summary>Creates the failure for <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the token was not accepted; not <see cref="JoinMeFailureReason.None"/>.</param>
    public JoinMeAuthenticationException(JoinMeFailureReason reason)
        : base(Failure.Of(reason).Description)
    {
        Reason = reason;
    }

    /// <summary>Why the token was not accepted.</summary>
    public JoinMeFailureReason Reason { get; }

    /// <summary>Whether the token was not judged at all (join.me unavailable, throttled, or the caller over budget): the client should keep it and retry later.</summary>
    public bool IsUnavailable => Failure.Of(Reason).IsUnavailable;

    /// <summary>When the caller may try again, for <see cref="JoinMeFailureReason.CallerOverBudget"/>.</summary>
    internal TimeSpan? RetryAfter { get; init; }
}
