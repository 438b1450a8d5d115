using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JoinMe.AspNetCore.Authentication.Redis;

/// <summary>
/// The one Redis connection the shared tier's cache, backplane and lock use. Made to fail fast: a request never queues behind a lost connection,
/// connecting never blocks start-up, and the connection comes back by itself when Redis does.
/// </summary>
internal sealed class RedisConnection(IOptions<JoinMeRedisOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => ConnectAsync(options.Value));

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        // A connection the app handed in stays the app's.
        if (_connection.IsValueCreated && options.Value.ConnectionMultiplexerFactory is null)
        {
            await (await _connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(JoinMeRedisOptions options)
    {
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            return await factory().ConfigureAwait(false);
        }

        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = 1000;
        configuration.AsyncTimeout = Math.Max(configuration.AsyncTimeout == 5000 ? 1000 : configuration.AsyncTimeout, (int)options.OperationTimeout.TotalMilliseconds);
        configuration.ReconnectRetryPolicy = new LinearRetry(250);
        return await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
    }
}
