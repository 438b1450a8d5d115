namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.TokenValidated"/>. <see cref="ResultContext{TOptions}.Principal"/> holds the principal
/// that will be signed in; it belongs to this request alone and may be changed.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="tokenInfo">What tokenInfo said about the token.</param>
public class TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeTokenInfo tokenInfo)
    : ResultContext<JoinMeOptions>(context, scheme, options)
{
    /// <summary>What tokenInfo said about the token.</summary>
    public JoinMeTokenInfo TokenInfo { get; } = tokenInfo;
}
