namespace JoinMe.AspNetCore.Authentication.Tests.Resilience;

/// <summary>
/// The circuit breaker in front of tokenInfo, seen from outside: driven by the emulator's faults and a fake clock. Defaults: it opens when at least
/// half of at least 10 attempts within 30 s failed, and stays open 10 s. Each failing request makes 2 attempts (one retry). An open circuit shows as
/// new tokens getting 503 without any tokenInfo call.
/// </summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Opens_after_repeated_failures_while_cached_tokens_keep_working()
    {
        await using var api = new TestApi().UsingEmulator();
        var cached = api.Mint();
        await api.AssertStatusAsync(cached, 200);
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);

        // The warm-up call counts too: 1 success and 9 failed attempts make the 10 that open the circuit, on the fifth request's
        // first attempt; that request's retry meets the open circuit and makes no call.
        for (var request = 1; request <= 5; request++)
        {
            var token = api.Mint();
            await api.AssertUnavailableAsync(token);
            Assert.Equal(request < 5 ? 2 : 1, api.TokenInfo.CallsFor(token));
            await api.AssertStatusAsync(cached, 200);
        }

        await api.AssertRefusedWithoutACallAsync();
        Assert.Equal(10, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task While_open_a_new_token_gets_503_at_once_without_a_tokenInfo_call_and_a_cached_one_200()
    {
        await using var api = new TestApi().UsingEmulator();
        var cached = api.Mint();
        await api.AssertStatusAsync(cached, 200);
        await api.OpenCircuitAsync();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);

        for (var i = 0; i < 20; i++)
        {
            // Tokens the emulator would vouch for: the circuit refuses to ask, so they are unavailable, never rejected.
            await api.AssertRefusedWithoutACallAsync();
            await api.AssertStatusAsync(cached, 200);
        }
    }

    [Fact]
    public async Task Half_opens_after_the_break_and_closes_when_tokenInfo_answers_again()
    {
        await using var api = new TestApi().UsingEmulator();
        await api.OpenCircuitAsync();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);

        api.Time.Advance(TimeSpan.FromSeconds(9.9));
        await api.AssertRefusedWithoutACallAsync();

        api.Time.Advance(TimeSpan.FromSeconds(0.1));
        var trial = api.Mint();
        await api.AssertStatusAsync(trial, 200);
        Assert.Equal(1, api.TokenInfo.CallsFor(trial));

        var next = api.Mint();
        await api.AssertStatusAsync(next, 200);
        Assert.Equal(1, api.TokenInfo.CallsFor(next));
    }

    [Fact]
    public async Task Opens_again_when_the_trial_call_fails()
    {
        await using var api = new TestApi().UsingEmulator();
        await api.OpenCircuitAsync();
        api.Time.Advance(TimeSpan.FromSeconds(10));

        var trial = api.Mint();
        await api.AssertUnavailableAsync(trial);

        // One trial attempt; its retry meets the circuit it has just opened again.
        Assert.Equal(1, api.TokenInfo.CallsFor(trial));
        await api.AssertRefusedWithoutACallAsync();
    }

    [Theory]
    [InlineData("rejections")]
    [InlineData("rate limits")]
    public async Task Neither_rejected_tokens_nor_join_me_s_rate_limits_open_the_circuit(string answers)
    {
        // A rate limit says this app's key is over its budget, not that join.me is unwell: a flood of junk must not lock everyone out.
        await using var api = new TestApi().UsingEmulator();
        api.Emulator.SetFault(answers == "rate limits" ? JoinMeEmulatorFaultMode.RateLimited : JoinMeEmulatorFaultMode.None);

        for (var i = 0; i < 30; i++)
        {
            await api.AssertStatusAsync(Tokens.New(), answers == "rate limits" ? 503 : 401);
        }

        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        await api.AssertStatusAsync(api.Mint(), 200);
    }
}
