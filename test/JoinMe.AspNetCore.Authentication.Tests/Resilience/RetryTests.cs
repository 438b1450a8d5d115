namespace JoinMe.AspNetCore.Authentication.Tests.Resilience;

/// <summary>The one retry of a transient tokenInfo failure (5xx, dropped connection, attempt timeout), and nothing else retried.</summary>
public sealed class RetryTests
{
    public static TheoryData<string> TransientFailures => ["500", "dropped connection"];

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task A_transient_failure_then_a_valid_answer_accepts_the_token_after_two_calls(string failure)
    {
        await using var api = new TestApi();
        var token = Tokens.New();
        api.TokenInfo.Script(token, TokenInfoReply.InTurn(
            failure == "500" ? TokenInfoReply.Of(500) : TokenInfoReply.Throwing(() => new HttpRequestException(HttpRequestError.ConnectionError, "reset")),
            TokenInfoReply.Valid(TestApi.StartTime.AddHours(1))));

        await api.AssertStatusAsync(token, 200);

        Assert.Equal(2, api.TokenInfo.CallsFor(token));
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried_and_the_retry_answers()
    {
        await using var api = new TestApi();
        var token = Tokens.New();
        api.TokenInfo.Script(token, TokenInfoReply.InTurn(TokenInfoReply.Hang, TokenInfoReply.Valid(TestApi.StartTime.AddHours(1))));

        var request = api.GetAsync("/api/me", token);
        await api.TokenInfo.WhenCallsArrived(1);
        api.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await Wait.ForAsync(request, "the retried request");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.TokenInfo.CallsFor(token));
    }

    public static TheoryData<string, int, int> NotRetried => new()
    {
        { "two transient failures", 503, 2 },
        { "a rejected token", 401, 1 },
        { "an unreadable answer", 503, 1 },
        { "a rate limit", 503, 1 },
    };

    [Theory]
    [MemberData(nameof(NotRetried))]
    public async Task Retries_only_once_and_only_what_may_pass(string answer, int status, int calls)
    {
        await using var api = new TestApi().UsingEmulator();
        api.Emulator.SetFault(answer switch
        {
            "two transient failures" => JoinMeEmulatorFaultMode.Error,
            "an unreadable answer" => JoinMeEmulatorFaultMode.Garbage,
            "a rate limit" => JoinMeEmulatorFaultMode.RateLimited,
            _ => JoinMeEmulatorFaultMode.None,
        });
        var token = answer == "a rejected token" ? Tokens.New() : api.Mint();

        await api.AssertStatusAsync(token, status);

        Assert.Equal(calls, api.TokenInfo.CallsFor(token));
    }
}
