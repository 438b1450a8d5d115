namespace JoinMe.AspNetCore.Authentication.Tests.Resilience;

/// <summary>A tokenInfo that never answers: 503 once the attempts or TokenInfoTimeout run out on the fake clock, and no call left running.</summary>
public sealed class TimeoutTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Requests_waiting_on_one_hanging_call_all_get_503_after_its_two_attempts_time_out(int requests)
    {
        await using var api = new TestApi().UsingEmulator();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));
        var token = api.Mint();

        var pending = Enumerable.Range(0, requests).Select(_ => api.GetAsync("/api/me", token)).ToArray();
        await api.Misses.WhenAtLeast(requests);
        await Wait.ThroughBothAttemptsAsync(api.Time, TimeSpan.FromSeconds(2), () => api.Emulator.GetStats().TokenInfoCalls);

        foreach (var response in await Wait.ForAsync(Task.WhenAll(pending), "every request"))
        {
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("5", response.RetryAfter());
            response.Dispose();
        }

        Assert.Equal(2, api.Emulator.GetStats().TokenInfoCalls);
        await Wait.UntilAsync(() => api.TokenInfo.InFlight == 0, "the hanging attempts to be cancelled");
    }

    [Fact]
    public async Task TokenInfoTimeout_bounds_the_whole_call_when_one_attempt_may_take_longer()
    {
        await using var api = new TestApi().UsingEmulator().WithLongAttempts();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));

        var request = api.GetAsync("/api/me", api.Mint());
        await Wait.UntilAsync(() => api.Emulator.GetStats().TokenInfoCalls == 1, "the attempt");
        api.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(request.IsCompleted);
        api.Time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await Wait.ForAsync(request, "the request");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(1, api.Emulator.GetStats().TokenInfoCalls);
        await Wait.UntilAsync(() => api.TokenInfo.InFlight == 0, "the hanging attempt to be cancelled");
    }
}
