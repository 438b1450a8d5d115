using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.AuthenticationFailed"/>.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="result">The failed validation.</param>
public class AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeTokenValidationResult result)
    : ResultContext<JoinMeOptions>(context, scheme, options)
{
    /// <summary>The failed validation: its outcome and reason.</summary>
    public JoinMeTokenValidationResult ValidationResult { get; } = result;
}
