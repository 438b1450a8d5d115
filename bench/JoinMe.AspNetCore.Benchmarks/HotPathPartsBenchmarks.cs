using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The pieces of the cache-hit path one by one, to see where its time and bytes go: reading the header, the cache key (SHA-256),
/// the cache lookup, the principal, the ticket's properties, the metrics, and the scope check the authorization step makes.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class HotPathPartsBenchmarks
{
    private const string Token = "hot23456789abcdefghjkmnp";

    private ServiceProvider _services = null!;
    private JoinMeOptions _options = null!;
    private IJoinMeTokenCache _cache = null!;
    private JoinMeTokenCacheKey _key;
    private JoinMeTokenValidationResult _result = null!;
    private ClaimsPrincipal _principal = null!;
    private DefaultHttpContext _context = null!;
    private JoinMeTelemetry _telemetry = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddAuthentication().AddJoinMe(options => options.AllowedClientIds.Add(BenchApp.ClientId));
        _services = services.BuildServiceProvider();
        _options = _services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(JoinMeAuthenticationDefaults.AuthenticationScheme);
        _cache = _services.GetRequiredService<IJoinMeTokenCache>();
        _key = JoinMeTokenCacheKey.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, Token);
        _result = JoinMeTokenValidationResult.Valid(new TokenInfo(BenchApp.ClientId, ["scheduler", "user_info"], DateTimeOffset.UtcNow.AddHours(1)));
        await _cache.SetAsync(_key, _result, DateTimeOffset.UtcNow.AddHours(1));
        _principal = JoinMePrincipalFactory.Create(_result, JoinMeAuthenticationDefaults.AuthenticationScheme, _options.Authority);
        _telemetry = _services.GetRequiredService<JoinMeTelemetry>();
        _context = new DefaultHttpContext();
        _context.Request.Headers.Authorization = "Bearer " + Token;
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _services.DisposeAsync();

    [Benchmark(Description = "Read the Authorization header")]
    public ReadOnlyMemory<char> ReadHeader()
    {
        BearerTokenReader.Read(_context.Request, _options, out var token);
        return token;
    }

    [Benchmark(Description = "Cache key (SHA-256)")]
    public JoinMeTokenCacheKey CacheKey() => JoinMeTokenCacheKey.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, Token);

    [Benchmark(Description = "Cache lookup")]
    public JoinMeTokenValidationResult? CacheLookup() => _cache.GetAsync(_key).Result;

    [Benchmark(Description = "Principal")]
    public ClaimsPrincipal Principal() => JoinMePrincipalFactory.Create(_result, JoinMeAuthenticationDefaults.AuthenticationScheme, _options.Authority);

    [Benchmark(Description = "Ticket properties")]
    public AuthenticationProperties Properties() => new() { ExpiresUtc = _result.TokenInfo!.ExpiresAt };

    [Benchmark(Description = "Metrics (no listener)")]
    public void Metrics()
    {
        _telemetry.CacheHit(JoinMeAuthenticationDefaults.AuthenticationScheme);
        _telemetry.Validated(JoinMeAuthenticationDefaults.AuthenticationScheme, JoinMeTokenValidationOutcome.Valid);
    }

    [Benchmark(Description = "Scope check")]
    public bool ScopeCheck() => JoinMeScopeRequirement.HasScope(_principal, JoinMeScopes.Scheduler);
}
