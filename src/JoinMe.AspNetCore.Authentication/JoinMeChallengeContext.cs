namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The context of <see cref="JoinMeEvents.Challenge"/>: what the handler is about to answer for a request that was not authenticated.
/// </summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's properties.</param>
public class JoinMeChallengeContext(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, AuthenticationProperties properties)
    : PropertiesContext<JoinMeOptions>(context, scheme, options, properties)
{
    /// <summary>Why the token was not accepted, or <see langword="null"/> when the request carried no token.</summary>
    public JoinMeFailureReason? Reason { get; init; }

    /// <summary>The status code to send: 401; 400 for an invalid request; <see cref="JoinMeOptions.UnavailableStatusCode"/> or 429 when the token could not be judged.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status401Unauthorized;

    /// <summary>The RFC 6750 <c>error</c> code, or <see langword="null"/> for none.</summary>
    public string? Error { get; set; }

    /// <summary>The RFC 6750 <c>error_description</c>, or <see langword="null"/> for none. Never put a token in it.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>The <c>Retry-After</c> to send with a 429 or 503, or <see langword="null"/> for none.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Whether the event wrote the response itself, so the handler must not.</summary>
    public bool Handled { get; private set; }

    /// <summary>Tells the handler that the event wrote the response.</summary>
    public void HandleResponse() => Handled = true;
}
