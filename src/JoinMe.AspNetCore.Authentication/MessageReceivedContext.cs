namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.MessageReceived"/>.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public class MessageReceivedContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options)
    : ResultContext<JoinMeOptions>(context, scheme, options)
{
    /// <summary>
    /// The token to validate. Set it to supply a token from a place the handler does not read; when it stays
    /// <see langword="null"/> or empty, the handler reads the <c>Authorization</c> header (and the query, if enabled).
    /// </summary>
    public string? Token { get; set; }
}
