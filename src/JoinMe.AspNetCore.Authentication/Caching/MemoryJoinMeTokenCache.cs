using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// The default <see cref="IJoinMeTokenCache"/>: a memory cache of its own (never the application's), limited in entries,
/// whose clock is the application's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class MemoryJoinMeTokenCache : IJoinMeTokenCache, IDisposable
{
    private readonly MemoryCache _cache;

    public MemoryJoinMeTokenCache(IOptions<JoinMeTokenCacheOptions> options, TimeProvider timeProvider)
    {
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.SizeLimit,
            Clock = new TimeProviderClock(timeProvider),
        });
    }

    public ValueTask<JoinMeTokenValidationResult?> GetAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default) =>
        new(_cache.TryGetValue(key, out var value) ? (JoinMeTokenValidationResult?)value : null);

    public ValueTask SetAsync(JoinMeTokenCacheKey key, JoinMeTokenValidationResult result, DateTimeOffset absoluteExpiration, CancellationToken cancellationToken = default)
    {
        using (var entry = _cache.CreateEntry(key))
        {
            entry.Value = result;
            entry.Size = 1;
            entry.AbsoluteExpiration = absoluteExpiration;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default)
    {
        _cache.Remove(key);
        return ValueTask.CompletedTask;
    }

    /// <summary>How many results are cached now.</summary>
    public int Count => _cache.Count;

    public void Dispose() => _cache.Dispose();

    private sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
}
