namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>What one tokenInfo call produced: either what join.me said about the token, or why it said nothing usable.</summary>
internal readonly record struct TokenInfoAnswer(TokenInfo? TokenInfo, JoinMeFailureReason FailureReason)
{
    public static TokenInfoAnswer Of(TokenInfo tokenInfo) => new(tokenInfo, JoinMeFailureReason.None);

    public static TokenInfoAnswer Failed(JoinMeFailureReason reason) => new(null, reason);
}
