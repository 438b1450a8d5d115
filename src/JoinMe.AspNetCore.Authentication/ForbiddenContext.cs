namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.Forbidden"/>: an authenticated request that an authorization policy refused.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The properties passed to forbid.</param>
public class ForbiddenContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, AuthenticationProperties properties)
    : PropertiesContext<JoinMeOptions>(context, scheme, options, properties)
{
    /// <summary>The scopes a scope requirement found missing; empty when the refusal was for another reason.</summary>
    public IReadOnlyList<string> MissingScopes { get; init; } = [];

    /// <summary>Whether the event wrote the response itself, so the handler must not.</summary>
    public bool Handled { get; private set; }

    /// <summary>Tells the handler that the event wrote the response.</summary>
    public void HandleResponse() => Handled = true;
}
