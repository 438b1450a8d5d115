namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The failure of an authentication by the join.me handler, as found in <c>AuthenticateResult.Failure</c>.
/// Its message is fixed text per reason and never contains the token.
/// </summary>
public sealed class JoinMeAuthenticationException : Exception
{
    /// <summary>Creates the failure of <paramref name="validationResult"/>.</summary>
    /// <param name="validationResult">The failed validation.</param>
    public JoinMeAuthenticationException(JoinMeTokenValidationResult validationResult)
        : base(DescribeFailure(validationResult?.FailureReason ?? throw new ArgumentNullException(nameof(validationResult))))
    {
        ValidationResult = validationResult;
    }

    /// <summary>The failed validation.</summary>
    public JoinMeTokenValidationResult ValidationResult { get; }

    /// <summary>A short description of <paramref name="reason"/> that is safe to show a client.</summary>
    /// <param name="reason">The reason.</param>
    public static string DescribeFailure(JoinMeFailureReason reason) => reason switch
    {
        JoinMeFailureReason.None => "The access token is valid.",
        JoinMeFailureReason.InvalidRequest => "The request carries more than one access token.",
        JoinMeFailureReason.MalformedToken => "The access token is malformed.",
        JoinMeFailureReason.Expired => "The access token has expired.",
        JoinMeFailureReason.InvalidToken or JoinMeFailureReason.ClientNotAllowed => "The access token is invalid.",
        _ => "The access token could not be validated now; try again later.",
    };
}
