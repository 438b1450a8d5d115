using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Testing;
using Polly.CircuitBreaker;

namespace JoinMe.AspNetCore.Resilience.Tests.Resilience;

/// <summary>
/// The circuit breaker in front of tokenInfo, driven by the emulator's faults and a fake clock. Defaults: it opens when at least half of
/// at least 10 attempts within 30 s failed, and stays open 10 s. Each failing request makes 2 attempts (one retry).
/// </summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Circuit_opens_after_repeated_failures_while_cached_tokens_keep_working()
    {
        await using var host = new SampleHost();
        var cached = host.Mint();
        await AssertStatusAsync(host, cached, 200);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);

        // The warm-up call counts too: 1 success and 9 failed attempts make the 10 that open the circuit, on the fifth request's
        // first attempt; that request's retry meets the open circuit and makes no call.
        for (var request = 1; request <= 5; request++)
        {
            Assert.Equal(CircuitState.Closed, host.Resilience.CircuitStateOf(SampleHost.Scheme));
            var token = host.Mint();
            await AssertUnavailableAsync(host, token);
            Assert.Equal(request < 5 ? 2 : 1, host.Edge.CallsFor(token));
            await AssertStatusAsync(host, cached, 200);
        }

        Assert.Equal(CircuitState.Open, host.Resilience.CircuitStateOf(SampleHost.Scheme));
        Assert.Equal(10, host.Edge.Calls);
    }

    [Fact]
    public async Task While_the_circuit_is_open_a_new_token_gets_503_at_once_without_a_tokenInfo_call()
    {
        await using var host = new SampleHost();
        var cached = host.Mint();
        await AssertStatusAsync(host, cached, 200);
        await OpenCircuitAsync(host);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        var calls = host.Edge.Calls;
        var emulatorCalls = host.Emulator.GetStats().TokenInfoCalls;

        for (var i = 0; i < 20; i++)
        {
            // Tokens the emulator would vouch for: the circuit refuses to ask, so they are unavailable, never rejected.
            await AssertUnavailableAsync(host, host.Mint());
            await AssertStatusAsync(host, cached, 200);
        }

        Assert.Equal(calls, host.Edge.Calls);
        Assert.Equal(emulatorCalls, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Circuit_half_opens_after_the_break_and_closes_when_tokenInfo_answers_again()
    {
        await using var host = new SampleHost();
        await OpenCircuitAsync(host);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        var calls = host.Edge.Calls;

        host.Time.Advance(TimeSpan.FromSeconds(9.9));
        await AssertUnavailableAsync(host, host.Mint());
        Assert.Equal(calls, host.Edge.Calls);

        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        var trial = host.Mint();
        await AssertStatusAsync(host, trial, 200);
        Assert.Equal(1, host.Edge.CallsFor(trial));
        Assert.Equal(CircuitState.Closed, host.Resilience.CircuitStateOf(SampleHost.Scheme));

        await AssertStatusAsync(host, host.Mint(), 200);
        Assert.Equal(calls + 2, host.Edge.Calls);
    }

    [Fact]
    public async Task Circuit_opens_again_when_the_trial_call_fails()
    {
        await using var host = new SampleHost();
        await OpenCircuitAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(10));

        var trial = host.Mint();
        await AssertUnavailableAsync(host, trial);

        // One trial attempt; its retry meets the circuit it has just opened again.
        Assert.Equal(1, host.Edge.CallsFor(trial));
        Assert.Equal(CircuitState.Open, host.Resilience.CircuitStateOf(SampleHost.Scheme));
        var calls = host.Edge.Calls;
        await AssertUnavailableAsync(host, host.Mint());
        Assert.Equal(calls, host.Edge.Calls);
    }

    [Fact]
    public async Task Rejected_tokens_never_open_the_circuit()
    {
        await using var host = new SampleHost();

        for (var i = 0; i < 30; i++)
        {
            await AssertStatusAsync(host, Tokens.New(), 401);
        }

        Assert.Equal(CircuitState.Closed, host.Resilience.CircuitStateOf(SampleHost.Scheme));
        await AssertStatusAsync(host, host.Mint(), 200);
    }

    [Fact]
    public async Task Repeated_rate_limit_answers_open_the_circuit_to_back_off()
    {
        await using var host = new SampleHost();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.RateLimited);

        // Rate limits are not retried: one attempt per request, ten to reach the minimum throughput.
        for (var i = 0; i < 10; i++)
        {
            await AssertUnavailableAsync(host, host.Mint());
        }

        Assert.Equal(CircuitState.Open, host.Resilience.CircuitStateOf(SampleHost.Scheme));
        Assert.Equal(10, host.Edge.Calls);
    }

    /// <summary>Five requests with new tokens while the emulator answers 500: ten failed attempts, and the circuit opens.</summary>
    internal static async Task OpenCircuitAsync(SampleHost host)
    {
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        for (var i = 0; i < 5; i++)
        {
            await AssertUnavailableAsync(host, host.Mint());
        }

        Assert.Equal(CircuitState.Open, host.Resilience.CircuitStateOf(SampleHost.Scheme));
    }

    internal static async Task AssertUnavailableAsync(SampleHost host, string token)
    {
        using var response = await host.GetAsync(token);
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
        Assert.Null(response.WwwAuthenticate());
    }

    internal static async Task AssertStatusAsync(SampleHost host, string token, int status)
    {
        using var response = await host.GetAsync(token);
        Assert.Equal(status, (int)response.StatusCode);
    }
}
