using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The result of validating one access token: one of three outcomes, the token's details when it is valid,
/// and a reason when it is not. Instances are immutable and safe to cache and share.
/// </summary>
public sealed class JoinMeTokenValidationResult
{
    private JoinMeTokenValidationResult(JoinMeFailureReason reason, TokenInfo? tokenInfo)
    {
        FailureReason = reason;
        TokenInfo = tokenInfo;
        Outcome = OutcomeOf(reason);
    }

    /// <summary>Valid, rejected or unavailable.</summary>
    public JoinMeTokenValidationOutcome Outcome { get; }

    /// <summary>Why the token was not accepted; <see cref="JoinMeFailureReason.None"/> when it was.</summary>
    public JoinMeFailureReason FailureReason { get; }

    /// <summary>What tokenInfo said about a valid token; <see langword="null"/> otherwise.</summary>
    public TokenInfo? TokenInfo { get; }

    /// <summary>
    /// The value of the principal's <c>expires_at</c> claim (ISO 8601, UTC), formatted on first use and then shared by every
    /// request this result answers from the cache: a string is immutable, so sharing it shares nothing mutable.
    /// </summary>
    internal string? ExpiresAtClaimValue =>
        TokenInfo?.ExpiresAt is { } expiresAt ? _expiresAtClaimValue ??= expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : null;

    /// <summary>Whether the token was accepted.</summary>
    [MemberNotNullWhen(true, nameof(TokenInfo))]
    public bool IsValid => Outcome == JoinMeTokenValidationOutcome.Valid;

    /// <summary>A result for a token that tokenInfo vouched for.</summary>
    /// <param name="tokenInfo">What tokenInfo said.</param>
    public static JoinMeTokenValidationResult Valid(TokenInfo tokenInfo)
    {
        ArgumentNullException.ThrowIfNull(tokenInfo);
        return new(JoinMeFailureReason.None, tokenInfo);
    }

    /// <summary>A result for a token that was not accepted.</summary>
    /// <param name="reason">Why; must not be <see cref="JoinMeFailureReason.None"/>.</param>
    public static JoinMeTokenValidationResult Failed(JoinMeFailureReason reason)
    {
        if (reason == JoinMeFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "A failed result needs a failure reason.");
        }

        return Failures[(int)reason];
    }

    private string? _expiresAtClaimValue;

    private static readonly JoinMeTokenValidationResult[] Failures =
        Enum.GetValues<JoinMeFailureReason>().Select(r => new JoinMeTokenValidationResult(r, null)).ToArray();

    private static JoinMeTokenValidationOutcome OutcomeOf(JoinMeFailureReason reason) => reason switch
    {
        JoinMeFailureReason.None => JoinMeTokenValidationOutcome.Valid,
        JoinMeFailureReason.InvalidRequest or JoinMeFailureReason.MalformedToken or JoinMeFailureReason.InvalidToken
            or JoinMeFailureReason.Expired or JoinMeFailureReason.ClientNotAllowed => JoinMeTokenValidationOutcome.Rejected,
        _ => JoinMeTokenValidationOutcome.Unavailable,
    };
}
