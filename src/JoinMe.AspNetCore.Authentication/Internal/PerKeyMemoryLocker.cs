using ZiggyCreatures.Caching.Fusion.Locking;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// The lock that makes simultaneous requests for one new token share one tokenInfo call, kept only while someone holds or awaits it.
/// FusionCache's own locker keeps a semaphore per distinct key for minutes, outside the cache's size limit: a flood of junk tokens grew
/// the heap by about 600 bytes a token (BoundedMemoryTests).
/// </summary>
internal sealed class PerKeyMemoryLocker : IFusionCacheMemoryLocker
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async ValueTask<object?> AcquireLockAsync(string cacheName, string cacheInstanceId, string operationId, string key, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        var gate = Enter(key);
        var acquired = false;
        try
        {
            acquired = await gate.Semaphore.WaitAsync(timeout, token).ConfigureAwait(false);
            return acquired ? gate : null; // timed out: the caller goes on without the lock
        }
        finally
        {
            if (!acquired)
            {
                Leave(key, gate);
            }
        }
    }

    public object? AcquireLock(string cacheName, string cacheInstanceId, string operationId, string key, TimeSpan timeout, ILogger? logger, CancellationToken token) =>
        AcquireLockAsync(cacheName, cacheInstanceId, operationId, key, timeout, logger, token).AsTask().GetAwaiter().GetResult();

    public void ReleaseLock(string cacheName, string cacheInstanceId, string operationId, string key, object? lockObj, ILogger? logger)
    {
        if (lockObj is Gate gate)
        {
            gate.Semaphore.Release();
            Leave(key, gate);
        }
    }

    public void Dispose()
    {
    }

    private Gate Enter(string key)
    {
        lock (_gates)
        {
            var gate = _gates.TryGetValue(key, out var existing) ? existing : _gates[key] = new Gate();
            gate.Users++;
            return gate;
        }
    }

    private void Leave(string key, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0 && _gates.Remove(key))
            {
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
