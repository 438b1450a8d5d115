using System.Diagnostics.Metrics;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Resilience.Tests.Resilience;
using JoinMe.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace JoinMe.AspNetCore.Resilience.Tests.Observability;

/// <summary>The Meter "JoinMe.AspNetCore.Authentication", read with MetricCollector from the app's own IMeterFactory.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Validations_are_counted_by_outcome()
    {
        await using var host = new SampleHost();
        using var validations = Collect<long>(host, "joinme.validations");

        await CircuitBreakerTests.AssertStatusAsync(host, host.Mint(), 200);
        await CircuitBreakerTests.AssertStatusAsync(host, Tokens.New(), 401);
        await host.SendRawAsync("/api/me", ["Bearer a b"]);
        await host.SendRawAsync("/api/ping", []);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        await CircuitBreakerTests.AssertUnavailableAsync(host, host.Mint());

        Assert.Equal(1, Sum(validations, ("outcome", "valid")));
        Assert.Equal(2, Sum(validations, ("outcome", "rejected")));
        Assert.Equal(1, Sum(validations, ("outcome", "unavailable")));
        Assert.All(validations.GetMeasurementSnapshot(), m => Assert.Equal(SampleHost.Scheme, m.Tags["scheme"]));
    }

    [Fact]
    public async Task Cache_hits_and_misses_are_counted()
    {
        await using var host = new SampleHost();
        using var hits = Collect<long>(host, "joinme.cache.hits");
        using var misses = Collect<long>(host, "joinme.cache.misses");
        var token = host.Mint();

        for (var i = 0; i < 3; i++)
        {
            await CircuitBreakerTests.AssertStatusAsync(host, token, 200);
        }

        Assert.Equal(1, Sum(misses));
        Assert.Equal(2, Sum(hits));
    }

    [Fact]
    public async Task TokenInfo_calls_are_counted_by_result_with_their_duration()
    {
        await using var host = new SampleHost();
        using var calls = Collect<long>(host, "joinme.tokeninfo.calls");
        using var duration = Collect<double>(host, "joinme.tokeninfo.duration");

        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromMilliseconds(1500));
        var slow = host.GetAsync(host.Mint());
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == 1, "the slow call");
        host.Time.Advance(TimeSpan.FromMilliseconds(1500));
        (await Wait.ForAsync(slow, "the slow request")).Dispose();

        host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        await CircuitBreakerTests.AssertStatusAsync(host, Tokens.New(), 401);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Garbage);
        await CircuitBreakerTests.AssertUnavailableAsync(host, host.Mint());
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.RateLimited);
        await CircuitBreakerTests.AssertUnavailableAsync(host, host.Mint());
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        await CircuitBreakerTests.AssertUnavailableAsync(host, host.Mint());

        // One measurement per shared call, whatever its retries.
        Assert.Equal(1, Sum(calls, ("result", "answered")));
        Assert.Equal(1, Sum(calls, ("result", "invalid_token")));
        Assert.Equal(1, Sum(calls, ("result", "unreadable")));
        Assert.Equal(1, Sum(calls, ("result", "rate_limited")));
        Assert.Equal(1, Sum(calls, ("result", "unavailable")));
        var durations = duration.GetMeasurementSnapshot();
        Assert.Equal(5, durations.Count);
        Assert.Equal(1.5, durations.Single(m => Equals(m.Tags["result"], "answered")).Value);
    }

    [Fact]
    public async Task Requests_that_join_a_running_call_are_counted_as_merged_waiters()
    {
        await using var host = new SampleHost();
        using var merged = Collect<long>(host, "joinme.tokeninfo.merged_waiters");
        using var calls = Collect<long>(host, "joinme.tokeninfo.calls");
        var token = host.Mint();
        host.Edge.CloseGate();

        var requests = Enumerable.Range(0, 25).Select(_ => host.GetAsync(token)).ToArray();
        await Wait.UntilAsync(() => Sum(merged) == 24, "every other request to join the first one's call");
        host.Edge.OpenGate();

        foreach (var response in await Wait.ForAsync(Task.WhenAll(requests), "the burst"))
        {
            Assert.Equal(200, (int)response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(1, host.Edge.Calls);
        Assert.Equal(1, Sum(calls));
    }

    [Fact]
    public async Task The_circuit_state_is_reported_closed_open_and_half_open()
    {
        await using var host = new SampleHost();
        using var state = Collect<int>(host, "joinme.tokeninfo.circuit_state");
        int Current()
        {
            state.RecordObservableInstruments();
            var last = state.LastMeasurement!;
            Assert.Equal(SampleHost.Scheme, last.Tags["scheme"]);
            return last.Value;
        }

        await CircuitBreakerTests.AssertStatusAsync(host, host.Mint(), 200);
        Assert.Equal(0, Current());

        await CircuitBreakerTests.OpenCircuitAsync(host);
        Assert.Equal(1, Current());

        // After the break, one trial call goes through; while it hangs, the circuit is half-open.
        host.Time.Advance(host.Options.Resilience.CircuitBreakerBreakDuration);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromSeconds(1));
        var calls = host.Emulator.GetStats().TokenInfoCalls;
        var trial = host.GetAsync(host.Mint());
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == calls + 1, "the trial call");
        Assert.Equal(2, Current());

        host.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await Wait.ForAsync(trial, "the trial request");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(0, Current());
    }

    private static MetricCollector<T> Collect<T>(SampleHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), JoinMeAuthenticationDefaults.TelemetryName, instrument);

    private static long Sum(MetricCollector<long> collector, (string Key, string Value)? tag = null) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tag is not { } t || Equals(m.Tags[t.Key], t.Value))
            .Sum(m => m.Value);
}
