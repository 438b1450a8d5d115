using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>
/// Two sample hosts, one over a scripted tokenInfo and one over the emulator. The circuit breaker is set so that it never opens here:
/// the suite runs many failing cases one after the other, and the breaker has tests of its own.
/// </summary>
public sealed class HostileTokenInfoHosts : IAsyncLifetime
{
    internal SampleHost Scripted { get; private set; } = null!;

    internal SampleHost Emulated { get; private set; } = null!;

    public static void KeepCircuitClosed(JoinMe.AspNetCore.Authentication.JoinMeOptions options) =>
        options.Resilience.CircuitBreakerMinimumThroughput = int.MaxValue;

    public ValueTask InitializeAsync()
    {
        Scripted = new SampleHost(TokenInfoSource.Scripted, KeepCircuitClosed);
        Emulated = new SampleHost(TokenInfoSource.Emulator, KeepCircuitClosed);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Scripted.DisposeAsync();
        await Emulated.DisposeAsync();
    }
}

/// <summary>
/// Broken and hostile tokenInfo answers for a well-formed token. Each case asserts the status, the exact challenge, Retry-After on a 503,
/// the number of tokenInfo attempts, and whether the result was cached; none may let the token in.
/// </summary>
public sealed class HostileTokenInfoTests(HostileTokenInfoHosts hosts) : IClassFixture<HostileTokenInfoHosts>
{
    public static TheoryData<string> ScriptedCases => TokenInfoCase.ScriptedNames;

    public static TheoryData<string> FaultCases => TokenInfoCase.FaultNames;

    [Theory]
    [MemberData(nameof(ScriptedCases))]
    public Task Hostile_tokenInfo_answer_lets_nothing_in(string name) => RunAsync(hosts.Scripted, TokenInfoCase.ByName[name]);

    [Theory]
    [MemberData(nameof(FaultCases))]
    public Task Emulator_fault_lets_nothing_in_and_leaves_nothing_cached(string name) => RunAsync(hosts.Emulated, TokenInfoCase.ByName[name]);

    private static async Task RunAsync(SampleHost host, TokenInfoCase hostile)
    {
        var errorsBefore = Errors(host);

        var run = await hostile.RunAsync(host);

        Assert.Equal(hostile.Status, run.Status);
        Assert.Equal(hostile.Challenge, run.Challenge);
        Assert.Equal(run.Status == 503 ? Challenges.RetryAfter : null, run.RetryAfter);
        Assert.Equal(hostile.Calls, run.Calls);
        Assert.NotEqual(200, run.Status);
        if (hostile.Slow)
        {
            // However it hangs, the validation is over when its two attempts (2 s each) have timed out, within TokenInfoTimeout (5 s).
            Assert.Equal(TimeSpan.FromSeconds(4), run.FakeTimeTaken);
        }

        // Every hostile answer is handled as an answer: none escapes as an exception into the crash path (logged at Error).
        Assert.Equal(errorsBefore, Errors(host));

        switch (hostile.Cached)
        {
            case true:
                Assert.Equal((hostile.Status, hostile.Challenge, 0), run.Again);
                break;
            case false when hostile.Script is null:
                // The emulator's fault is gone and the token it issued is live: only an unavailable result that was never cached lets it in.
                Assert.Equal((200, (string?)null, 1), run.Again);
                break;
            case false:
                Assert.Equal((hostile.Status, hostile.Challenge, hostile.Calls), run.Again);
                break;
        }
    }

    private static int Errors(SampleHost host) => host.Logs.Entries.Count(log => log.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
}
