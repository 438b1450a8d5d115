using System.Net;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.Resilience;

/// <summary>The one retry of a transient tokenInfo failure (5xx, dropped connection, attempt timeout), and nothing else retried.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task A_500_then_a_valid_answer_accepts_the_token_after_two_calls()
    {
        await using var host = new SampleHost();
        host.Edge.Intercept = (attempt, _) => attempt == 1 ? new HttpResponseMessage(HttpStatusCode.InternalServerError) : null;
        var token = host.Mint();

        using var response = await host.GetAsync(token);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, host.Edge.CallsFor(token));
        Assert.Equal(1, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task A_dropped_connection_then_a_valid_answer_accepts_the_token_after_two_calls()
    {
        await using var host = new SampleHost();
        host.Edge.Intercept = (attempt, _) => attempt == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "The connection was reset (fake).")
            : null;
        var token = host.Mint();

        using var response = await host.GetAsync(token);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, host.Edge.CallsFor(token));
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried_and_the_retry_answers()
    {
        await using var host = new SampleHost(TokenInfoSource.Scripted);
        var token = Tokens.New();
        host.Scripted.Script(token, Reply.Sequence(Reply.Hang(host.Time), Reply.Valid(host.Time)));

        var request = host.GetAsync(token);
        await Wait.UntilAsync(() => host.Edge.InFlight == 1, "the first attempt to hang");
        host.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await Wait.ForAsync(request, "the retried request");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, host.Edge.CallsFor(token));
    }

    [Fact]
    public async Task Two_transient_failures_give_503_after_exactly_two_calls()
    {
        await using var host = new SampleHost();
        host.Edge.Intercept = (_, _) => new HttpResponseMessage(HttpStatusCode.BadGateway);
        var token = host.Mint();

        await CircuitBreakerTests.AssertUnavailableAsync(host, token);

        Assert.Equal(2, host.Edge.CallsFor(token));
    }

    [Fact]
    public async Task A_rejected_token_is_not_retried()
    {
        await using var host = new SampleHost();
        var token = Tokens.New();

        await CircuitBreakerTests.AssertStatusAsync(host, token, 401);

        Assert.Equal(1, host.Edge.CallsFor(token));
    }

    [Fact]
    public async Task An_unreadable_answer_is_not_retried()
    {
        await using var host = new SampleHost();
        host.Emulator.SetFault(JoinMe.AspNetCore.Testing.JoinMeEmulatorFaultMode.Garbage);
        var token = host.Mint();

        await CircuitBreakerTests.AssertUnavailableAsync(host, token);

        Assert.Equal(1, host.Edge.CallsFor(token));
    }
}
