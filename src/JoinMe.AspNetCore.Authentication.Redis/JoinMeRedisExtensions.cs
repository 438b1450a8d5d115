using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Redis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds a shared Redis tier to the join.me token cache, for APIs that run on several instances.
/// </summary>
public static class JoinMeRedisExtensions
{
    /// <summary>Shares the join.me token cache through the Redis at <paramref name="configuration"/>: <c>AddJoinMeRedisCache(builder.Configuration.GetConnectionString("Redis")!)</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    public static IServiceCollection AddJoinMeRedisCache(this IServiceCollection services, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddJoinMeRedisCache(options => options.Configuration = configuration);
    }

    /// <summary>Shares the join.me token cache through a Redis connection the app already has (and keeps owning).</summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">The connection.</param>
    public static IServiceCollection AddJoinMeRedisCache(this IServiceCollection services, IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return services.AddJoinMeRedisCache(options => options.ConnectionMultiplexerFactory = () => Task.FromResult(connection));
    }

    /// <summary>
    /// Shares the join.me token cache through Redis, configured from <c>JoinMe:Redis</c> and then by <paramref name="configure"/>. Every other overload
    /// calls this one. Each instance keeps its memory tier; Redis holds authenticated entries for all of them, a backplane tells every instance of a
    /// change (a revocation, an eviction), and a distributed lock lets one instance call tokenInfo for a new token while the others wait.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options, after configuration has been read.</param>
    public static IServiceCollection AddJoinMeRedisCache(this IServiceCollection services, Action<JoinMeRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        const string Name = JoinMeAuthenticationDefaults.CacheName;
        services.AddOptions<JoinMeRedisOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection("JoinMe:Redis").Bind(options))
            .Configure(configure)
            .Validate(options => options.Configuration is { Length: > 0 } || options.ConnectionMultiplexerFactory is not null,
                "JoinMe:Redis: give a connection string (AddJoinMeRedisCache(\"localhost:6379\") or JoinMe:Redis:Configuration) or a connection.")
            .Validate(options => options.OperationTimeout > TimeSpan.Zero && options.LockTimeout > TimeSpan.Zero,
                "JoinMe:Redis: OperationTimeout and LockTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RedisConnection>();
        services.AddHostedService<RedisMonitor>();

        services.AddKeyedSingleton<IDistributedCache>(Name, (provider, _) => new RedisCache(Options.Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = provider.GetRequiredService<RedisConnection>().GetAsync,
        })));
        services.AddKeyedSingleton<IFusionCacheBackplane>(Name, (provider, _) => new RedisBackplane(Options.Options.Create(new RedisBackplaneOptions
        {
            ConnectionMultiplexerFactory = provider.GetRequiredService<RedisConnection>().GetAsync,
        })));
        services.TryAddSingleton<RedisLocker>();
        services.AddKeyedSingleton<IFusionCacheDistributedLocker>(Name, (provider, _) =>
            provider.GetRequiredService<IOptions<JoinMeRedisOptions>>().Value.UseDistributedLock ? provider.GetRequiredService<RedisLocker>() : null!);

        services.AddOptions<FusionCacheOptions>(Name).Configure<IOptions<JoinMeRedisOptions>>((cache, redis) =>
        {
            cache.CacheKeyPrefix = redis.Value.KeyPrefix;
            cache.BackplaneChannelPrefix = redis.Value.KeyPrefix + "backplane";

            // Redis trouble is not an outage: each call is bounded, a failing Redis is left alone for a second, and the memory tier and tokenInfo carry on.
            cache.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(1);
            cache.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(1);
            cache.WaitForInitialBackplaneSubscribe = false;
            var entry = cache.DefaultEntryOptions;
            entry.DistributedCacheHardTimeout = redis.Value.OperationTimeout;
            entry.DistributedLockTimeout = redis.Value.LockTimeout;
            entry.ReThrowDistributedCacheExceptions = false;
            entry.ReThrowBackplaneExceptions = false;
        });
        return services;
    }
}
