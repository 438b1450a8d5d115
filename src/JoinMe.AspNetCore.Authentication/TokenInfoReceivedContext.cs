namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.TokenInfoReceived"/>: what tokenInfo said about the request's token, before the handler judges it.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="tokenInfo">What tokenInfo said.</param>
public class TokenInfoReceivedContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeTokenInfo tokenInfo)
    : BaseContext<JoinMeOptions>(context, scheme, options)
{
    /// <summary>What tokenInfo said. Replace it (for example with a <c>with</c> expression) to change what this request judges; the cache keeps the original.</summary>
    public JoinMeTokenInfo TokenInfo { get; set; } = tokenInfo;

    /// <summary>Whether <see cref="Reject"/> was called.</summary>
    public bool IsRejected { get; private set; }

    /// <summary>Rejects the token for this request: 401 <c>invalid_token</c>.</summary>
    public void Reject() => IsRejected = true;
}
