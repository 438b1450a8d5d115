using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The pieces of the cache-hit path that the handler chooses, measured through the platform and FusionCache's public APIs only: the ways the
/// platform can hash a token for its cache key (the handler uses <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, because a
/// per-process HMAC key would give each instance of a cluster different keys for one token), and the cost of a memory-tier hit in FusionCache
/// against a plain <see cref="MemoryCache"/>.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class HotPathPartsBenchmarks
{
    private const string Token = "hot23456789abcdefghjkmnp";

    [ThreadStatic]
    private static IncrementalHash? _incremental;

    private readonly byte[] _hmacKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _hash = new byte[SHA256.HashSizeInBytes];
    private ServiceProvider _services = null!;
    private IFusionCache _fusion = null!;
    private MemoryCache _memory = null!;
    private string _key = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = new ServiceCollection().AddFusionCache().Services.BuildServiceProvider();
        _fusion = _services.GetRequiredService<IFusionCache>();
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100_000 });
        _key = "v1:https://secure.join.me:" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
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
    public int Sha256HashData() => SHA256.HashData(Encoding.UTF8.GetBytes(Token), _hash);

    [Benchmark(Description = "IncrementalHash SHA-256, reused per thread (what the handler uses)")]
    public int Sha256Incremental()
    {
        var hash = _incremental ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Token));
        return hash.GetHashAndReset(_hash);
    }

    [Benchmark(Description = "HMACSHA256.HashData, per-process key")]
    public int HmacSha256() => HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(Token), _hash);

    [Benchmark(Description = "MemoryCache.TryGetValue")]
    public object? MemoryCacheHit() => _memory.TryGetValue(_key, out var value) ? value : null;

    [Benchmark(Description = "FusionCache.TryGetAsync, memory tier")]
    public string? FusionCacheHit() => _fusion.TryGetAsync<string>(_key).Result.GetValueOrDefault();
}
