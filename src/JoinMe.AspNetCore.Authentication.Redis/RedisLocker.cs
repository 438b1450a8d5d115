using System.Collections.Concurrent;
using System.Diagnostics;
using Medallion.Threading;
using Medallion.Threading.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed;

namespace JoinMe.AspNetCore.Authentication.Redis;

/// <summary>
/// The cluster's lock around the one tokenInfo call for a new token: a lock in Redis (the DistributedLock library's, as FusionCache's own Redis locker
/// uses), made so that Redis trouble never makes a request wait for it:
/// <list type="bullet">
/// <item>FusionCache 2.9 does not release a lock when it meant to write the entry the lock guarded to Redis but did not (its shared tier is off for a
/// while after a failure, as just after a restart, or the write failed). Such a lock is released when the cache says the entry is set
/// (<see cref="OnEntrySet"/>); before, the other instances waited for it until <see cref="JoinMeRedisOptions.LockTimeout"/>.</item>
/// <item>While this instance's shared tier is off, it takes no lock: it could not share its answer, so others would gain nothing by waiting for it.</item>
/// <item>A held lock is renewed every third of a second and expires about a second after its holder is gone (crashed, or cut off from Redis), not 30.</item>
/// <item>An attempt that Redis does not answer within <see cref="JoinMeRedisOptions.OperationTimeout"/> ends the wait (the request goes on without the
/// lock), and a waiter tries again every 5–25 ms instead of every 10–800 ms.</item>
/// </list>
/// Lock names hold a cache key: never logged.
/// </summary>
internal sealed class RedisLocker(RedisConnection connection, IOptions<JoinMeRedisOptions> options) : IFusionCacheDistributedLocker
{
    // How long a lock outlives a holder that can no longer renew or release it, beyond one OperationTimeout (the longest an attempt to take it may take).
    private static readonly TimeSpan Validity = TimeSpan.FromSeconds(1);

    // Held locks by cache key: FusionCache holds at most one per key and instance (it takes the lock under its memory lock for the key).
    private readonly ConcurrentDictionary<string, IDistributedSynchronizationHandle> _held = new(StringComparer.Ordinal);
    private RedisDistributedSynchronizationProvider? _provider;
    private long _sharedTierOffUntil; // a Stopwatch timestamp; 0 while the shared tier is on

    /// <summary>
    /// This instance's cache goes on without Redis for <paramref name="duration"/> (its circuit breaker opened), or uses it again. A deadline rather than
    /// a flag, because FusionCache raises its events on the thread pool: a "closed" handled before the "open" that preceded it ends by itself.
    /// </summary>
    public void SharedTierChanged(bool off, TimeSpan duration) =>
        Volatile.Write(ref _sharedTierOffUntil, off ? Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency) : 0);

    public async ValueTask<object?> AcquireLockAsync(
        string cacheName, string cacheInstanceId, string operationId, string key, string lockName, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _sharedTierOffUntil))
        {
            return null;
        }

        var provider = _provider ??= await CreateProviderAsync().ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var attempt = Stopwatch.GetTimestamp();

            // One SET NX: throws when Redis cannot be reached (the connection fails fast; FusionCache then goes on without the lock), null when another
            // instance holds the lock or Redis did not answer in time.
            var handle = await provider.TryAcquireLockAsync(lockName, TimeSpan.Zero, token).ConfigureAwait(false);
            if (handle is not null)
            {
                if (_held.TryRemove(key, out var forgotten))
                {
                    await ReleaseAsync(forgotten).ConfigureAwait(false);
                }

                _held[key] = handle;
                return handle;
            }

            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(attempt, now) >= options.Value.OperationTimeout || Stopwatch.GetElapsedTime(started, now) >= timeout)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 26)), token).ConfigureAwait(false);
        }
    }

    public object? AcquireLock(
        string cacheName, string cacheInstanceId, string operationId, string key, string lockName, TimeSpan timeout, ILogger? logger, CancellationToken token) =>
        AcquireLockAsync(cacheName, cacheInstanceId, operationId, key, lockName, timeout, logger, token).AsTask().GetAwaiter().GetResult();

    public async ValueTask ReleaseLockAsync(
        string cacheName, string cacheInstanceId, string operationId, string key, string lockName, object? lockObj, ILogger? logger, CancellationToken token)
    {
        if (lockObj is IDistributedSynchronizationHandle handle)
        {
            _held.TryRemove(new KeyValuePair<string, IDistributedSynchronizationHandle>(key, handle));
            await ReleaseAsync(handle).ConfigureAwait(false);
        }
    }

    public void ReleaseLock(
        string cacheName, string cacheInstanceId, string operationId, string key, string lockName, object? lockObj, ILogger? logger, CancellationToken token) =>
        ReleaseLockAsync(cacheName, cacheInstanceId, operationId, key, lockName, lockObj, logger, token).AsTask().GetAwaiter().GetResult();

    /// <summary>The cache has set the entry for <paramref name="key"/>: a lock still held for it is one FusionCache did not release.</summary>
    public void OnEntrySet(string key)
    {
        if (_held.TryRemove(key, out var handle))
        {
            _ = ReleaseAsync(handle).AsTask();
        }
    }

    private async Task<RedisDistributedSynchronizationProvider> CreateProviderAsync()
    {
        var database = (await connection.GetAsync().ConfigureAwait(false)).GetDatabase();
        var operation = options.Value.OperationTimeout;
        return new RedisDistributedSynchronizationProvider(database, lockOptions => lockOptions
            .Expiry(operation + Validity) // an attempt may take OperationTimeout; the lock is then good for Validity at least, and renewed each third of it
            .MinValidityTime(Validity));
    }

    private static async ValueTask ReleaseAsync(IDistributedSynchronizationHandle handle)
    {
        try
        {
            await handle.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A release that fails (Redis gone) leaves a lock that expires by itself within a second.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
