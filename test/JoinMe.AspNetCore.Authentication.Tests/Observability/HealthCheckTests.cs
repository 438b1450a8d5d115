using System.Net;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Resilience.Tests.Resilience;
using JoinMe.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JoinMe.AspNetCore.Resilience.Tests.Observability;

/// <summary><c>AddHealthChecks().AddJoinMeTokenInfo()</c> against the emulator: healthy when tokenInfo answers, unhealthy when it cannot help.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Healthy_when_tokenInfo_answers()
    {
        await using var host = NewHost();

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Theory]
    [InlineData(JoinMeEmulatorFaultMode.Down)]
    [InlineData(JoinMeEmulatorFaultMode.Error)]
    [InlineData(JoinMeEmulatorFaultMode.RateLimited)]
    public async Task Unhealthy_when_tokenInfo_fails(JoinMeEmulatorFaultMode fault)
    {
        await using var host = NewHost();
        host.Emulator.SetFault(fault);

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task Unhealthy_when_tokenInfo_answers_what_the_handler_cannot_use(HttpStatusCode status)
    {
        await using var host = NewHost();
        host.Edge.Intercept = (_, _) => new HttpResponseMessage(status) { Headers = { Location = new Uri("https://attacker.example/") } };

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Unhealthy_when_tokenInfo_hangs_past_TokenInfoTimeout()
    {
        // A timeout far longer than the test may run: only the fake clock can end the probe.
        await using var host = NewHost(options => options.TokenInfoTimeout = TimeSpan.FromHours(1));
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(2));

        var check = CheckAsync(host);
        await Wait.UntilAsync(() => host.Emulator.GetStats().TokenInfoCalls == 1, "the probe to reach tokenInfo");
        Assert.False(check.IsCompleted);
        host.Time.Advance(host.Options.TokenInfoTimeout);
        var report = await Wait.ForAsync(check, "the health check");

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Unhealthy_without_a_call_while_the_circuit_is_open()
    {
        await using var host = NewHost();
        await CircuitBreakerTests.OpenCircuitAsync(host);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        var calls = host.Emulator.GetStats().TokenInfoCalls;

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(calls, host.Emulator.GetStats().TokenInfoCalls);
    }

    private static SampleHost NewHost(Action<JoinMe.AspNetCore.Authentication.JoinMeOptions>? options = null) =>
        new(options: options, services: services => services.AddHealthChecks().AddJoinMeTokenInfo());

    private static Task<HealthReport> CheckAsync(SampleHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
}
