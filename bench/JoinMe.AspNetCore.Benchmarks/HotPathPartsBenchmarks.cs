using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The pieces of the cache-hit path that the handler chooses, measured through public APIs only: the ways the platform can hash a token for its
/// cache key (a per-process HMAC key would give each instance of a cluster different keys for one token, so it is here for comparison only),
/// a memory-tier hit in FusionCache against a plain <see cref="MemoryCache"/>, and the judging that every hit now goes through (the app's
/// TokenInfoReceived event, its allowed client ids and the expiry, as JoinMeTokenValidator does it).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class HotPathPartsBenchmarks
{
    private const string Token = "hot23456789abcdefghjkmnpqrstuvwx";

    [ThreadStatic]
    private static IncrementalHash? _incremental;

    private readonly byte[] _hmacKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _hash = new byte[SHA256.HashSizeInBytes];
    private readonly DefaultHttpContext _context = new();
    private readonly AuthenticationScheme _scheme = new(JoinMeAuthenticationDefaults.AuthenticationScheme, null, typeof(NoHandler));
    private readonly JoinMeOptions _options = new() { AllowedClientIds = { "demo-client" } };
    private readonly JoinMeEvents _events = new();
    private readonly JoinMeTokenInfo _info = new("demo-client", ["scheduler", "user_info"], DateTimeOffset.UtcNow.AddHours(1));
    private ServiceProvider _services = null!;
    private IFusionCache _fusion = null!;
    private FusionCacheEntryOptions _memoryOnly = null!;
    private MemoryCache _memory = null!;
    private string _key = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = new ServiceCollection().AddFusionCache().Services.BuildServiceProvider();
        _fusion = _services.GetRequiredService<IFusionCache>();
        _memoryOnly = _fusion.CreateEntryOptions(options => options.SkipDistributedCacheRead = true);
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100_000 });
        _key = KeyOf(Token);
        await _fusion.SetAsync(_key, "facts", TimeSpan.FromHours(1));
        _memory.Set(_key, "facts", new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync()
    {
        _memory.Dispose();
        return _services.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "SHA256.HashData")]
    public int Sha256HashData()
    {
        Span<byte> utf8 = stackalloc byte[128];
        return SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(Token, utf8)], _hash);
    }

    [Benchmark(Description = "IncrementalHash SHA-256, reused per thread (what the handler uses)")]
    public int Sha256Incremental()
    {
        Span<byte> utf8 = stackalloc byte[128];
        var hash = _incremental ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(utf8[..Encoding.UTF8.GetBytes(Token, utf8)]);
        return hash.GetHashAndReset(_hash);
    }

    [Benchmark(Description = "HMACSHA256.HashData, per-process key")]
    public int HmacSha256()
    {
        Span<byte> utf8 = stackalloc byte[128];
        return HMACSHA256.HashData(_hmacKey, utf8[..Encoding.UTF8.GetBytes(Token, utf8)], _hash);
    }

    [Benchmark(Description = "The whole cache key: hash and string (what the handler does)")]
    public string CacheKey() => KeyOf(Token);

    [Benchmark(Description = "MemoryCache.TryGetValue")]
    public object? MemoryCacheHit() => _memory.TryGetValue(_key, out var value) ? value : null;

    [Benchmark(Description = "FusionCache.TryGetAsync, memory tier")]
    public string? FusionCacheHitAsync() => _fusion.TryGetAsync<string>(_key).AsTask().Result.GetValueOrDefault();

    [Benchmark(Description = "FusionCache.TryGet, memory tier only (what the handler uses)")]
    public string? FusionCacheHit() => _fusion.TryGet<string>(_key, _memoryOnly).GetValueOrDefault();

    [Benchmark(Description = "Judging a hit: TokenInfoReceived, allowed client ids, expiry")]
    public async Task<bool> JudgeHit()
    {
        var received = new TokenInfoReceivedContext(_context, _scheme, _options, _info);
        await _events.TokenInfoReceived(received);
        var info = received.TokenInfo ?? _info;
        return !received.IsRejected && info.ClientId is not null && _options.AllowedClientIds.Contains(info.ClientId)
            && !(info.ExpiresAt <= DateTimeOffset.UtcNow + _options.ClockSkew);
    }

    // As JoinMeTokenCache.KeyOf builds it.
    private string KeyOf(string token)
    {
        Span<byte> utf8 = stackalloc byte[1024];
        var hash = _incremental ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(utf8[..Encoding.UTF8.GetBytes(token, utf8)]);
        hash.GetHashAndReset(_hash);
        return string.Concat("v1:", "https://secure.join.me".AsSpan(), ":", Base64Url.EncodeToString(_hash));
    }

    private sealed class NoHandler : IAuthenticationHandler
    {
        public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context) => Task.CompletedTask;

        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
