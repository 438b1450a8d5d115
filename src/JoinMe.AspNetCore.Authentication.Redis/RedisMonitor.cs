using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace JoinMe.AspNetCore.Authentication.Redis;

/// <summary>
/// Says what happens to the shared tier, in logs and a gauge, never with a key: the connection lost and restored, and the cache going on without Redis
/// and back. (FusionCache's own logger stays off, since its lines carry cache keys.) Also tells the cluster's lock what the cache does (see <see cref="RedisLocker"/>).
/// </summary>
internal sealed partial class RedisMonitor(
    RedisConnection connection,
    RedisLocker locker,
    IOptions<JoinMeRedisOptions> options,
    IOptionsMonitor<FusionCacheOptions> cacheOptions,
    IFusionCacheProvider caches,
    IMeterFactory meters,
    ILogger<RedisMonitor> logger)
    : IHostedService
{
    private IConnectionMultiplexer? _connection;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connection = await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _connection.ConnectionFailed += OnConnectionFailed;
        _connection.ConnectionRestored += OnConnectionRestored;
        var events = caches.GetCache(JoinMeAuthenticationDefaults.CacheName).Events;
        events.Distributed.CircuitBreakerChange += (_, change) =>
        {
            locker.SharedTierChanged(!change.IsClosed, cacheOptions.Get(JoinMeAuthenticationDefaults.CacheName).DistributedCacheCircuitBreakerDuration);
            SharedTierChanged(logger, change.IsClosed ? "back in use" : "not used for a second after a failure");
        };
        if (options.Value.UseDistributedLock)
        {
            // FusionCache 2.9 leaves a lock held when it does not write the entry to Redis; the entry set is the end of the call the lock guarded.
            events.Set += (_, entry) => locker.OnEntrySet(entry.Key);
        }

        meters.Create(JoinMeAuthenticationDefaults.TelemetryName).CreateObservableGauge(
            "joinme.cache.shared_tier.connected", () => _connection.IsConnected ? 1 : 0, "{state}", "Whether the shared (Redis) tier is connected: 1 or 0.");
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            _connection.ConnectionFailed -= OnConnectionFailed;
            _connection.ConnectionRestored -= OnConnectionRestored;
        }

        return Task.CompletedTask;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => ConnectionFailed(logger, e.FailureType, e.ConnectionType);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => ConnectionRestored(logger, e.ConnectionType);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The shared token cache lost its Redis connection ({FailureType}, {ConnectionType}); tokens are validated from memory and tokenInfo until it is back.")]
    private static partial void ConnectionFailed(ILogger logger, ConnectionFailureType failureType, ConnectionType connectionType);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "The shared token cache's Redis connection is back ({ConnectionType}).")]
    private static partial void ConnectionRestored(ILogger logger, ConnectionType connectionType);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "The shared token cache's Redis tier is {State}.")]
    private static partial void SharedTierChanged(ILogger logger, string state);
}
