using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JoinMe.AspNetCore.Authentication.Tests.Observability;

/// <summary>
/// <c>AddHealthChecks().AddJoinMeTokenInfo()</c> against the emulator: healthy when tokenInfo answers, unhealthy when it cannot help; through the same
/// circuit and ceiling as validation, and one probe for every check within five seconds.
/// </summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Healthy_when_tokenInfo_answers()
    {
        await using var api = NewApi();

        var report = await api.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, api.Emulator.GetStats().TokenInfoCalls);
    }

    [Theory]
    [InlineData(JoinMeEmulatorFaultMode.Down)]
    [InlineData(JoinMeEmulatorFaultMode.Error)]
    [InlineData(JoinMeEmulatorFaultMode.RateLimited)]
    public async Task Unhealthy_when_tokenInfo_fails(JoinMeEmulatorFaultMode fault)
    {
        var report = await CheckHealthAsync(api => api.Emulator.SetFault(fault));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task Unhealthy_when_tokenInfo_answers_what_the_handler_cannot_use(HttpStatusCode status)
    {
        var report = await CheckHealthAsync(api => api.TokenInfo.Answers(TokenInfoReply.Of((int)status, null, ("Location", "https://attacker.example/"))));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Unhealthy_when_tokenInfo_hangs_past_TokenInfoTimeout()
    {
        await using var api = NewApi().WithLongAttempts();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(2));

        var check = api.CheckHealthAsync();
        await Wait.UntilAsync(() => api.Emulator.GetStats().TokenInfoCalls == 1, "the probe to reach tokenInfo");
        Assert.False(check.IsCompleted);
        api.Time.Advance(TimeSpan.FromSeconds(5));
        var report = await Wait.ForAsync(check, "the health check");

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Unhealthy_without_a_call_while_the_circuit_is_open()
    {
        await using var api = NewApi();
        await api.OpenCircuitAsync();
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        var calls = api.Emulator.GetStats().TokenInfoCalls;

        var report = await api.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(calls, api.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Forty_simultaneous_probes_make_one_tokenInfo_call_and_the_answer_serves_for_five_seconds()
    {
        await using var api = NewApi();
        api.Start();
        api.TokenInfo.HoldCalls();

        var checks = Enumerable.Range(0, 40).Select(_ => api.CheckHealthAsync()).ToArray();
        await api.TokenInfo.WhenCallsArrived(1);
        api.TokenInfo.ReleaseCalls();
        var reports = await Wait.ForAsync(Task.WhenAll(checks), "the probes");
        api.Time.Advance(TimeSpan.FromSeconds(4.9));
        await api.CheckHealthAsync();
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(0.1));
        await api.CheckHealthAsync();

        Assert.All(reports, report => Assert.Equal(HealthStatus.Healthy, report.Status));
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Does_not_probe_beyond_the_ceiling_on_tokenInfo_calls()
    {
        await using var api = NewApi().Configure(options => options.MaxTokenInfoCallsPerSecond = 1);
        await api.AssertStatusAsync(api.Mint(), 200);

        var report = await api.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("ceiling", report.Entries["joinme-tokeninfo"].Description, StringComparison.Ordinal);
        Assert.Equal(1, api.Emulator.GetStats().TokenInfoCalls);
    }

    /// <summary>Runs the health checks once on a new sample that <paramref name="arrange"/> has prepared.</summary>
    private static async Task<HealthReport> CheckHealthAsync(Action<TestApi> arrange)
    {
        await using var api = NewApi();
        arrange(api);
        return await api.CheckHealthAsync();
    }

    private static TestApi NewApi() => new TestApi().UsingEmulator().WithServices(services => services.AddHealthChecks().AddJoinMeTokenInfo());
}
