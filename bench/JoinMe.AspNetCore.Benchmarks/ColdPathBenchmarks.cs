using BenchmarkDotNet.Attributes;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The cold path: a token the cache does not know, validated through one tokenInfo call (FusionCache's factory, the resilience pipeline, the
/// named HTTP client, the tolerant reader, the cache write) against the emulator's in-memory backchannel, which answers at once.
/// Each operation evicts the token afterwards, so the next one misses again; the eviction is part of the cost.
/// The baseline is the same authenticate step on a cache hit.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ColdPathBenchmarks
{
    private BenchCredentials _credentials = null!;
    private BenchApp _app = null!;
    private IServiceScopeFactory _scopes = null!;
    private JoinMeTokenCache _cache = null!;
    private string _token = null!;
    private string _authorization = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _credentials = BenchCredentials.Create();
        _app = BenchApp.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, _credentials.Emulator.CreateBackchannelHandler());
        _scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        _cache = _app.Services.GetRequiredService<JoinMeTokenCache>();
        _authorization = _credentials.JoinMe;
        _token = _authorization["Bearer ".Length..];
        for (var i = 0; i < 3; i++)
        {
            if (!(await CacheMiss()).Succeeded)
            {
                throw new InvalidOperationException("The cold path did not authenticate the token.");
            }
        }

        if (_credentials.Emulator.GetStats().TokenInfoCalls != 3)
        {
            throw new InvalidOperationException($"Expected 3 tokenInfo calls, saw {_credentials.Emulator.GetStats().TokenInfoCalls}.");
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _app.DisposeAsync();

    [Benchmark(Baseline = true, Description = "JoinMe, cache hit")]
    public Task<AuthenticateResult> CacheHit() => AuthenticateAsync();

    [Benchmark(Description = "JoinMe, cache miss + tokenInfo + evict")]
    public async Task<AuthenticateResult> CacheMiss()
    {
        var result = await AuthenticateAsync();
        await _cache.EvictAsync(_token);
        return result;
    }

    private async Task<AuthenticateResult> AuthenticateAsync()
    {
        var context = new DefaultHttpContext();
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            context.RequestServices = scope.ServiceProvider;
            context.Request.Headers.Authorization = _authorization;
            return await context.AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }
}
