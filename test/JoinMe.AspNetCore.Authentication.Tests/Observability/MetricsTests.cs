namespace JoinMe.AspNetCore.Authentication.Tests.Observability;

/// <summary>The Meter "JoinMe.AspNetCore.Authentication", read with MetricCollector from the app's own IMeterFactory, and Polly's own circuit events.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Validations_are_counted_by_outcome_and_reason()
    {
        await using var api = new TestApi().UsingEmulator();
        using var validations = api.Collect<long>("joinme.validations");

        await api.AssertStatusAsync(api.Mint(), 200);
        await api.AssertStatusAsync(Tokens.New(), 401);
        await api.SendRawAsync("/api/me", ["Bearer a b"]);
        await api.SendRawAsync("/api/ping", []);
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        await api.AssertUnavailableAsync(api.Mint());

        Assert.Equal(new Dictionary<string, long> { ["valid"] = 1, ["rejected"] = 2, ["unavailable"] = 1 }, SumsBy(validations, "outcome"));
        Assert.Equal(1, Sum(validations, ("reason", "malformed_token")));
        Assert.All(validations.GetMeasurementSnapshot(), m => Assert.Equal(TestApi.Scheme, m.Tags["scheme"]));
    }

    [Fact]
    public async Task Cache_hits_and_misses_are_counted()
    {
        await using var api = new TestApi().UsingEmulator();
        using var hits = api.Collect<long>("joinme.cache.hits");
        using var misses = api.Collect<long>("joinme.cache.misses");
        var token = api.Mint();

        for (var i = 0; i < 3; i++)
        {
            await api.AssertStatusAsync(token, 200);
        }

        Assert.Equal(1, Sum(misses));
        Assert.Equal(2, Sum(hits));
    }

    [Fact]
    public async Task TokenInfo_calls_are_counted_once_per_shared_call_by_result_with_their_duration()
    {
        await using var api = new TestApi().UsingEmulator();
        using var calls = api.Collect<long>("joinme.tokeninfo.calls");
        using var duration = api.Collect<double>("joinme.tokeninfo.duration");

        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromMilliseconds(1500));
        var token = api.Mint();
        var slow = Enumerable.Range(0, 10).Select(_ => api.GetAsync("/api/me", token)).ToArray();
        await Wait.UntilAsync(() => api.Emulator.GetStats().TokenInfoCalls == 1, "the slow call");
        await api.Misses.WhenAtLeast(10);
        api.Time.Advance(TimeSpan.FromMilliseconds(1500));
        foreach (var response in await Wait.ForAsync(Task.WhenAll(slow), "the slow requests"))
        {
            response.Dispose();
        }

        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        await api.AssertStatusAsync(Tokens.New(), 401);
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Garbage);
        await api.AssertUnavailableAsync(api.Mint());
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.RateLimited);
        await api.AssertUnavailableAsync(api.Mint());
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        await api.AssertUnavailableAsync(api.Mint());

        // One measurement per shared call, whatever its waiters and retries.
        Assert.Equal(
            new Dictionary<string, long> { ["answered"] = 1, ["invalid_token"] = 1, ["unreadable"] = 1, ["rate_limited"] = 1, ["unavailable"] = 1 },
            SumsBy(calls, "result"));
        var durations = duration.GetMeasurementSnapshot();
        Assert.Equal(5, durations.Count);
        Assert.Equal(1.5, durations.Single(m => Equals(m.Tags["result"], "answered")).Value);
    }

    [Fact]
    public async Task The_circuit_opening_and_closing_is_reported_by_Polly_s_own_telemetry()
    {
        // Polly's meter is process-wide: an authority of this test's own keeps other tests' pipelines out of the count.
        const string authority = "https://metrics-test.join.me.example";
        using var events = new MetricCollector<int>(meterScope: null, "Polly", "resilience.polly.strategy.events");
        await using var api = new TestApi().UsingEmulator().WithSchemeSetting("Authority", authority);
        long Count(string name) => events.GetMeasurementSnapshot().Count(m => Equals(m.Tags["event.name"], name) && Equals(m.Tags["pipeline.instance"], authority));

        await api.OpenCircuitAsync();
        Assert.Equal(1, Count("OnCircuitOpened"));

        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        api.Time.Advance(TimeSpan.FromSeconds(10));
        await api.AssertStatusAsync(api.Mint(), 200);
        Assert.Equal(1, Count("OnCircuitHalfOpened"));
        Assert.Equal(1, Count("OnCircuitClosed"));
    }

    private static long Sum(MetricCollector<long> collector, (string Key, string Value)? tag = null) =>
        collector.GetMeasurementSnapshot().Where(m => tag is not { } t || Equals(m.Tags[t.Key], t.Value)).Sum(m => m.Value);

    /// <summary>The sum of the measurements for each value of the tag <paramref name="key"/>: every value that was measured, and only those.</summary>
    private static Dictionary<string, long> SumsBy(MetricCollector<long> collector, string key) =>
        collector.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags[key]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
}
