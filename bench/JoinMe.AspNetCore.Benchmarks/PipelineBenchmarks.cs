using BenchmarkDotNet.Attributes;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// One whole request through routing, authentication, authorization and the endpoint, in process: the sample's endpoints, with
/// JoinMe (cached token) and with JwtBearer HS256 and RS256 as the default scheme, each app built the same way. <c>/api/me</c>
/// needs any authenticated user, <c>/api/meetings</c> the <c>scheduler</c> scope (the same <see cref="JoinMeScopeRequirement"/>
/// for every scheme). The baseline is anonymous <c>/api/ping</c>; <c>/control/meetings</c> writes the meetings body with no policy,
/// so that "meetings minus control" is the exact cost of authentication plus authorization.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PipelineBenchmarks
{
    private BenchApp _joinMeApp = null!;
    private BenchApp _hs256App = null!;
    private BenchApp _rs256App = null!;
    private string _joinMe = null!;
    private string _hs256 = null!;
    private string _rs256 = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var credentials = BenchCredentials.Create();
        var emulator = credentials.Emulator;
        _joinMeApp = BenchApp.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, emulator.CreateBackchannelHandler());
        _hs256App = BenchApp.Create(BenchJwt.Hs256Scheme, credentials.Emulator.CreateBackchannelHandler());
        _rs256App = BenchApp.Create(BenchJwt.Rs256Scheme, credentials.Emulator.CreateBackchannelHandler());
        (_joinMe, _hs256, _rs256) = (credentials.JoinMe, credentials.Hs256, credentials.Rs256);

        await _joinMeApp.ExpectAsync("/api/ping", null);
        await _joinMeApp.ExpectAsync("/control/meetings", null);
        await _joinMeApp.ExpectAsync("/api/meetings", null, 401);
        foreach (var (app, token) in new[] { (_joinMeApp, _joinMe), (_hs256App, _hs256), (_rs256App, _rs256) })
        {
            await app.ExpectAsync("/api/me", token);
            await app.ExpectAsync("/api/meetings", token);
        }

        if (emulator.GetStats().TokenInfoCalls != 1)
        {
            throw new InvalidOperationException("The JoinMe token was not answered from the cache after the first call.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _joinMeApp.DisposeAsync();
        await _hs256App.DisposeAsync();
        await _rs256App.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Anonymous /api/ping")]
    public Task<int> AnonymousPing() => _joinMeApp.SendAsync("/api/ping", null);

    [Benchmark(Description = "Anonymous /control/meetings")]
    public Task<int> AnonymousMeetings() => _joinMeApp.SendAsync("/control/meetings", null);

    [Benchmark(Description = "JoinMe /api/me")]
    public Task<int> JoinMeMe() => _joinMeApp.SendAsync("/api/me", _joinMe);

    [Benchmark(Description = "JoinMe /api/meetings")]
    public Task<int> JoinMeMeetings() => _joinMeApp.SendAsync("/api/meetings", _joinMe);

    [Benchmark(Description = "HS256 /api/me")]
    public Task<int> Hs256Me() => _hs256App.SendAsync("/api/me", _hs256);

    [Benchmark(Description = "HS256 /api/meetings")]
    public Task<int> Hs256Meetings() => _hs256App.SendAsync("/api/meetings", _hs256);

    [Benchmark(Description = "RS256 /api/me")]
    public Task<int> Rs256Me() => _rs256App.SendAsync("/api/me", _rs256);

    [Benchmark(Description = "RS256 /api/meetings")]
    public Task<int> Rs256Meetings() => _rs256App.SendAsync("/api/meetings", _rs256);
}
