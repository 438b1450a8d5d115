using Microsoft.Extensions.Logging;
using ZiggyCreatures.Caching.Fusion.Locking;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// The lock that makes simultaneous requests for one new token share one tokenInfo call, held only while someone uses it. FusionCache's own
/// locker keeps a semaphore per distinct key for minutes, outside the cache's size limit, so a flood of junk tokens would grow memory
/// (measured: about 600 bytes a token); these locks live exactly as long as the calls they guard.
/// </summary>
internal sealed class PerKeyMemoryLocker : IFusionCacheMemoryLocker
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async ValueTask<object?> AcquireLockAsync(string cacheName, string cacheInstanceId, string operationId, string key, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        var gate = Enter(key);
        return await Acquired(key, gate, () => gate.Semaphore.WaitAsync(timeout, token)).ConfigureAwait(false);
    }

    public object? AcquireLock(string cacheName, string cacheInstanceId, string operationId, string key, TimeSpan timeout, ILogger? logger, CancellationToken token)
    {
        var gate = Enter(key);
        return Acquired(key, gate, () => Task.FromResult(gate.Semaphore.Wait(timeout, token))).GetAwaiter().GetResult();
    }

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

    private async Task<object?> Acquired(string key, Gate gate, Func<Task<bool>> wait)
    {
        try
        {
            if (await wait().ConfigureAwait(false))
            {
                return gate;
            }
        }
        catch
        {
            Leave(key, gate);
            throw;
        }

        Leave(key, gate); // timed out: the caller goes on without the lock
        return null;
    }

    private Gate Enter(string key)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out var gate))
            {
                _gates[key] = gate = new Gate();
            }

            gate.Users++;
            return gate;
        }
    }

    private void Leave(string key, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
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
