namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>
/// One sample API for every hostile tokenInfo answer: the edge answers scripted tokens, and passes the rest to the emulator, whose faults the
/// fault cases turn on. The circuit breaker never opens here (the suite runs many failing calls one after the other, and the breaker has tests of
/// its own), and every case's requests come from the one test client, so its budget of new tokens per minute is off.
/// </summary>
public sealed class HostileTokenInfoApi : IAsyncDisposable
{
    public TestApi Api { get; } = new TestApi().UsingEmulator().KeepCircuitClosed().Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0);

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Broken and hostile tokenInfo answers for a well-formed token. Each case asserts the status, the exact challenge, Retry-After on a 503,
/// the number of tokenInfo attempts, and what the same token gets again at once and a second later; none may let the token in.
/// </summary>
public sealed class HostileTokenInfoTests(HostileTokenInfoApi fixture) : IClassFixture<HostileTokenInfoApi>
{
    [Theory]
    [MemberData(nameof(TokenInfoCase.Names), MemberType = typeof(TokenInfoCase))]
    public async Task Hostile_tokenInfo_answer_lets_nothing_in(string name)
    {
        var hostile = TokenInfoCase.ByName[name];
        var api = fixture.Api;
        var errorsBefore = Errors(api);

        var run = await hostile.RunAsync(api);

        Assert.Equal((hostile.Status, hostile.Challenge, hostile.Calls), (run.Status, run.Challenge, run.Calls));
        Assert.Equal(run.Status == 503 ? Challenges.RetryAfter : null, run.RetryAfter);
        if (hostile.ClockSteps is { } steps)
        {
            // However it hangs, the validation is over after exactly the steps the test took the clock through.
            Assert.Equal(steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step), run.FakeTimeTaken);
        }
        else
        {
            // join.me's verdict is cached; "could not be judged" is remembered for a second, then the token is asked about again, and one the
            // emulator issued is valid once its fault is gone.
            (int, string?, int)? later = hostile.Cached ? null : hostile.Script is null ? (200, null, 1) : (hostile.Status, hostile.Challenge, hostile.Calls);
            Assert.Equal((hostile.Status, hostile.Challenge, 0), run.Again);
            Assert.Equal(later, run.Later);
        }

        // Every hostile answer is handled as an answer: none escapes as an exception into the crash path (logged at Error).
        Assert.Equal(errorsBefore, Errors(api));
    }

    // Polly reports every failed attempt and timeout at Error by itself (its resilience events): those are the pipeline at work, not a crash.
    private static int Errors(TestApi api) => api.Logs.GetSnapshot().Count(log => log.Level >= LogLevel.Error && log.Category != "Polly");
}
