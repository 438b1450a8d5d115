using Microsoft.AspNetCore.Authentication;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.TokenInfoReceived"/>: one tokenInfo answer, before the handler judges and caches it.
/// </summary>
public class TokenInfoReceivedContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The scheme's options.</param>
    /// <param name="tokenInfo">What tokenInfo said.</param>
    public TokenInfoReceivedContext(AuthenticationScheme scheme, JoinMeOptions options, TokenInfo tokenInfo)
    {
        Scheme = scheme;
        Options = options;
        TokenInfo = tokenInfo;
    }

    /// <summary>The scheme.</summary>
    public AuthenticationScheme Scheme { get; }

    /// <summary>The scheme's options.</summary>
    public JoinMeOptions Options { get; }

    /// <summary>What tokenInfo said. Replace it (for example with a <c>with</c> expression) to adjust what is judged and cached.</summary>
    public TokenInfo TokenInfo { get; set; }

    /// <summary>Whether <see cref="Reject"/> was called.</summary>
    public bool IsRejected { get; private set; }

    /// <summary>Rejects the token: requests carrying it get 401 <c>invalid_token</c>, and the rejection is cached briefly.</summary>
    public void Reject() => IsRejected = true;
}
