namespace JoinMe.AspNetCore.Authentication.Tests.Resilience;

/// <summary>
/// join.me's rate-limit answers (docs/join.me.md) say nothing about the token: 503 with Retry-After, never 401, not retried, and remembered for a
/// second at most, after which the same token is asked about again.
/// </summary>
public sealed class RateLimitTests
{
    public static TheoryData<string, int, string?> RateLimitAnswers => new()
    {
        { "developer over QPS", 403, "ERR_403_DEVELOPER_OVER_QPS" },
        { "developer over rate", 403, "ERR_403_DEVELOPER_OVER_RATE" },
        { "service over QPS", 403, "ERR_403_SERVICE_OVER_QPS" },
        { "code with spaces around it", 403, " ERR_403_DEVELOPER_OVER_QPS " },
        { "several codes in one header", 403, "ERR_403_OTHER, ERR_403_DEVELOPER_OVER_QPS" },
        { "429 Too Many Requests", 429, null },
    };

    [Theory]
    [MemberData(nameof(RateLimitAnswers))]
    public async Task A_rate_limit_answer_is_unavailable_and_the_same_token_is_asked_about_again_a_second_later(string what, int status, string? code)
    {
        _ = what;
        await using var api = new TestApi();
        var token = Tokens.New();
        var rateLimited = code is null ? TokenInfoReply.Of(status) : TokenInfoReply.Of(status, "{}", ("X-Mashery-Error-Code", code));
        api.TokenInfo.Script(token, TokenInfoReply.InTurn(rateLimited, TokenInfoReply.Valid(TestApi.StartTime.AddHours(1))));

        await api.AssertUnavailableAsync(token);
        await api.AssertUnavailableAsync(token);
        Assert.Equal(1, api.TokenInfo.CallsFor(token));

        api.Time.Advance(TimeSpan.FromSeconds(1));
        await api.AssertStatusAsync(token, 200);
        Assert.Equal(2, api.TokenInfo.CallsFor(token));
    }
}
