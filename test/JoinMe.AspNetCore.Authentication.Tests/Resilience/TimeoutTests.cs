using System.Diagnostics.Metrics;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using JoinMe.AspNetCore.Testing;

namespace JoinMe.AspNetCore.Resilience.Tests.Resilience;

/// <summary>A tokenInfo that never answers: 503 once the attempts or TokenInfoTimeout run out on the fake clock, and no call left running.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task A_hanging_tokenInfo_gives_503_after_two_attempt_timeouts()
    {
        await using var host = new SampleHost();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));

        var request = host.GetAsync(host.Mint());
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == 1, "the first attempt");
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == 2, "the retry");
        Assert.False(request.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await Wait.ForAsync(request, "the request");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
        Assert.Null(response.WwwAuthenticate());
        await Wait.UntilAsync(() => host.Edge.InFlight == 0, "the hanging attempts to be cancelled");
    }

    [Fact]
    public async Task TokenInfoTimeout_bounds_the_whole_call_when_one_attempt_may_take_longer()
    {
        await using var host = new SampleHost(options: options => options.Resilience.AttemptTimeout = TimeSpan.FromMinutes(1));
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));

        var request = host.GetAsync(host.Mint());
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == 1, "the attempt");
        host.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(request.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await Wait.ForAsync(request, "the request");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(1, host.Emulator.GetStats().TokenInfoCalls);
        await Wait.UntilAsync(() => host.Edge.InFlight == 0, "the hanging attempt to be cancelled");
    }

    [Fact]
    public async Task Every_request_waiting_on_one_hanging_call_gets_503_at_the_same_time()
    {
        await using var host = new SampleHost();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));
        var token = host.Mint();
        using var merged = new MetricCollector<long>(
            host.Services.GetRequiredService<IMeterFactory>(), JoinMeAuthenticationDefaults.TelemetryName, "joinme.tokeninfo.merged_waiters");

        var requests = Enumerable.Range(0, 20).Select(_ => host.GetAsync(token)).ToArray();
        await Wait.UntilAsync(() => merged.GetMeasurementSnapshot().Sum(m => m.Value) == 19, "every request to join the one call");
        await Wait.ThroughBothAttemptsAsync(host.Time, host.Options.Resilience.AttemptTimeout, () => host.Emulator.GetStats().TokenInfoCalls);

        foreach (var response in await Wait.ForAsync(Task.WhenAll(requests), "every request"))
        {
            Assert.Equal(503, (int)response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(2, host.Emulator.GetStats().TokenInfoCalls);
    }
}
