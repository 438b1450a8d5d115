using System.Diagnostics;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Resilience.Tests;

/// <summary>Measures the whole process's managed heap: these tests run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

/// <summary>
/// The default cache's SizeLimit bounds what a flood of distinct tokens can hold. The flood goes through the validator in process (cache,
/// shared calls, resilience pipeline, named HttpClient, a tokenInfo at the edge that rejects every token), not over HTTP, to stay fast.
/// </summary>
[Collection(nameof(MemoryMeasurements))]
public sealed class BoundedMemoryTests(ITestOutputHelper output)
{
    /// <summary>The stated bound: what a full cache of <see cref="FloodSizeLimit"/> rejected tokens may add to the managed heap.</summary>
    public const long FloodBoundBytes = 8 * 1024 * 1024;

    private const int FloodSizeLimit = 10_000;

    [Fact]
    public async Task A_flood_of_distinct_rejected_tokens_stays_within_the_size_limit_and_the_memory_bound()
    {
        await using var flood = await Flood.StartAsync(FloodSizeLimit, Reply.Status(401));
        var before = Flood.ManagedBytes();

        // 20,000 fill the cache twice over; 180,000 more must not make it hold anything more.
        await flood.ValidateAsync(20_000, seed: 1);
        var full = Flood.ManagedBytes();
        var count = flood.CacheCount;
        await flood.ValidateAsync(180_000, seed: 2);
        var after = Flood.ManagedBytes();

        output.WriteLine($"SizeLimit {FloodSizeLimit:N0}: {flood.Validated:N0} rejected tokens, {flood.MaxCacheCount:N0} cached at most, "
            + $"heap +{(full - before) / 1024.0 / 1024:F1} MiB after 20,000, +{(after - before) / 1024.0 / 1024:F1} MiB after 200,000");
        Assert.InRange(flood.MaxCacheCount, FloodSizeLimit / 2, FloodSizeLimit);
        Assert.InRange(count, FloodSizeLimit / 2, FloodSizeLimit);
        Assert.InRange(after - before, long.MinValue, FloodBoundBytes);
        Assert.InRange(after - full, long.MinValue, 1024 * 1024);
        Assert.Equal(flood.Validated, flood.Rejected);
    }

    [Fact]
    public async Task Bytes_per_cached_token_are_measured()
    {
        const int Entries = 50_000;

        await using (var rejected = await Flood.StartAsync(100_000, Reply.Status(401)))
        {
            var perRejected = await MeasureAsync(rejected, Entries);
            output.WriteLine($"rejected token: {perRejected:F0} bytes per cached entry ({Entries:N0} entries)");
            Assert.InRange(perRejected, 50, 1024);
        }

        await using (var valid = await Flood.StartAsync(100_000, Reply.Json(Reply.ValidBody(SampleHost.Start.AddHours(1)))))
        {
            var perValid = await MeasureAsync(valid, Entries);
            output.WriteLine($"valid token (3 scopes): {perValid:F0} bytes per cached entry ({Entries:N0} entries)");
            Assert.InRange(perValid, 50, 2048);
        }
    }

    /// <summary>The one million tokens: about 20 s on two cores. Run with <c>-- --explicit only</c>.</summary>
    [Fact(Explicit = true)]
    public async Task A_flood_of_one_million_distinct_tokens_with_the_default_size_limit()
    {
        var sizeLimit = new JoinMeTokenCacheOptions().SizeLimit;
        await using var flood = await Flood.StartAsync(sizeLimit, Reply.Status(401));
        var before = Flood.ManagedBytes();
        var watch = Stopwatch.StartNew();

        await flood.ValidateAsync(1_000_000, seed: 3);
        var after = Flood.ManagedBytes();

        output.WriteLine($"SizeLimit {sizeLimit:N0}: {flood.Validated:N0} rejected tokens in {watch.Elapsed.TotalSeconds:F1} s, "
            + $"{flood.MaxCacheCount:N0} cached at most, heap +{(after - before) / 1024.0 / 1024:F1} MiB");
        Assert.InRange(flood.MaxCacheCount, 1, sizeLimit);
        Assert.InRange(after - before, long.MinValue, 64L * 1024 * 1024);
    }

    private static async Task<double> MeasureAsync(Flood flood, int entries)
    {
        await flood.ValidateAsync(1_000, seed: 10);
        var (bytes, count) = (Flood.ManagedBytes(), flood.CacheCount);
        await flood.ValidateAsync(entries, seed: 11);
        var (bytesAfter, countAfter) = (Flood.ManagedBytes(), flood.CacheCount);
        Assert.Equal(entries, countAfter - count);
        return (bytesAfter - bytes) / (double)(countAfter - count);
    }

    /// <summary>The sample with a given cache SizeLimit, and its validator driven directly.</summary>
    private sealed class Flood : IAsyncDisposable
    {
        private readonly SampleHost _host;
        private readonly JoinMeTokenValidator _validator;
        private readonly MemoryJoinMeTokenCache _cache;
        private readonly AuthenticationScheme _scheme;

        private Flood(SampleHost host, AuthenticationScheme scheme)
        {
            _host = host;
            _scheme = scheme;
            _validator = host.Services.GetRequiredService<JoinMeTokenValidator>();
            _cache = (MemoryJoinMeTokenCache)host.Services.GetRequiredService<IJoinMeTokenCache>();
        }

        public int Validated { get; private set; }

        public int Rejected { get; private set; }

        public int MaxCacheCount { get; private set; }

        public int CacheCount => _cache.Count;

        public static async Task<Flood> StartAsync(long sizeLimit, Reply reply)
        {
            var host = new SampleHost(
                TokenInfoSource.Scripted,
                services: services => services.Configure<JoinMeTokenCacheOptions>(options => options.SizeLimit = sizeLimit),
                defaultReply: reply,
                logLevel: LogLevel.Warning);
            host.Edge.KeepHistory = false;
            var scheme = await host.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(SampleHost.Scheme);
            return new Flood(host, scheme!);
        }

        public static long ManagedBytes()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return GC.GetTotalMemory(forceFullCollection: true);
        }

        public async Task ValidateAsync(int count, int seed)
        {
            var random = new Random(seed);
            var options = _host.Options;
            for (var i = 0; i < count; i++)
            {
                var result = await _validator.ValidateAsync(_scheme, options, options.Events, Tokens.New(random), CancellationToken.None);
                Validated++;
                Rejected += result.Outcome == JoinMeTokenValidationOutcome.Rejected ? 1 : 0;
                if (i % 1_000 == 0)
                {
                    MaxCacheCount = Math.Max(MaxCacheCount, _cache.Count);
                }
            }

            MaxCacheCount = Math.Max(MaxCacheCount, _cache.Count);
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
