namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// What each <see cref="JoinMeFailureReason"/> means, in one table: whether the token was judged at all, the answer's status and RFC 6750 error,
/// the description a client may see, and the tag that metrics and traces use. Every other part of the package reads it from here.
/// </summary>
/// <param name="Reason">The reason.</param>
/// <param name="IsUnavailable">Whether the token was not judged (join.me or the app's own limits said nothing about it): never cached beyond a second.</param>
/// <param name="StatusCode">The status of the challenge; <see langword="null"/> for <see cref="JoinMeOptions.UnavailableStatusCode"/>.</param>
/// <param name="Error">The RFC 6750 <c>error</c>, or <see langword="null"/> for none.</param>
/// <param name="Description">The <c>error_description</c>; fixed text, never a token.</param>
/// <param name="Tag">The value of the <c>reason</c> tag on metrics and traces.</param>
internal sealed record Failure(JoinMeFailureReason Reason, bool IsUnavailable, int? StatusCode, string? Error, string Description, string Tag)
{
    private const string TryLater = "The access token could not be validated now; try again later.";

    private static readonly Failure[] Table =
    [
        new(JoinMeFailureReason.None, false, StatusCodes.Status200OK, null, "The access token is valid.", "none"),
        new(JoinMeFailureReason.InvalidRequest, false, StatusCodes.Status400BadRequest, "invalid_request", "The request carries more than one access token.", "invalid_request"),
        new(JoinMeFailureReason.MalformedToken, false, StatusCodes.Status401Unauthorized, "invalid_token", "The access token is malformed.", "malformed_token"),
        new(JoinMeFailureReason.InvalidToken, false, StatusCodes.Status401Unauthorized, "invalid_token", "The access token is invalid.", "invalid_token"),
        new(JoinMeFailureReason.Expired, false, StatusCodes.Status401Unauthorized, "invalid_token", "The access token has expired.", "expired"),
        new(JoinMeFailureReason.ClientNotAllowed, false, StatusCodes.Status401Unauthorized, "invalid_token", "The access token is invalid.", "client_not_allowed"),
        new(JoinMeFailureReason.Revoked, false, StatusCodes.Status401Unauthorized, "invalid_token", "The access token has been revoked.", "revoked"),
        new(JoinMeFailureReason.RateLimited, true, null, null, TryLater, "rate_limited"),
        new(JoinMeFailureReason.ServiceUnavailable, true, null, null, TryLater, "unavailable"),
        new(JoinMeFailureReason.UnreadableResponse, true, null, null, TryLater, "unreadable"),
        new(JoinMeFailureReason.Throttled, true, null, null, TryLater, "throttled"),
        new(JoinMeFailureReason.CallerOverBudget, true, StatusCodes.Status429TooManyRequests, null, "Too many new access tokens from this client; try again later.", "caller_over_budget"),
    ];

    /// <summary>The outcome tag of metrics: <c>valid</c>, <c>rejected</c> or <c>unavailable</c>.</summary>
    public string Outcome => Reason == JoinMeFailureReason.None ? "valid" : IsUnavailable ? "unavailable" : "rejected";

    public static Failure Of(JoinMeFailureReason reason) =>
        (uint)reason < (uint)Table.Length ? Table[(int)reason] : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a join.me failure reason.");
}
