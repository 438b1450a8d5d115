using Microsoft.AspNetCore.DataProtection;

namespace JoinMe.AspNetCore.Authentication.Redis.Tests.Servers;

/// <summary>
/// Instances of the sample API, each on Kestrel at a loopback port, sharing one Redis (under a key prefix of their own, so tests never meet), one
/// join.me emulator, one fake clock and the Data Protection keys a cluster shares.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    /// <param name="redis">The Redis the instances share.</param>
    /// <param name="configure">Configures the shared tier's options, on every instance.</param>
    /// <param name="instance">Configures each instance further before it starts (more services, the logs it keeps).</param>
    public Cluster(RedisServer redis, Action<JoinMeRedisOptions>? configure = null, Action<TestApi>? instance = null)
    {
        Redis = redis;
        Time = new FakeTimeProvider(TestApi.StartTime);
        Emulator = new JoinMeEmulator(timeProvider: Time);
        var keys = new EphemeralDataProtectionProvider();
        Instances = [.. Enumerable.Range(0, 3).Select(_ => new TestApi(Time, Emulator)
            .UsingEmulator()
            .OnKestrel()
            // The test client is one address for all its requests and brings more new tokens than one caller may.
            .Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0)
            .WithServices(services => services.AddSingleton<IDataProtectionProvider>(keys).AddJoinMeRedisCache(options =>
            {
                options.Configuration = redis.Configuration;
                options.KeyPrefix = KeyPrefix;
                configure?.Invoke(options);
            })))];
        foreach (var api in Instances)
        {
            instance?.Invoke(api);
            api.Start();
        }
    }

    public RedisServer Redis { get; }

    public string KeyPrefix { get; } = $"test-{Guid.NewGuid():N}:";

    public FakeTimeProvider Time { get; }

    public JoinMeEmulator Emulator { get; }

    public IReadOnlyList<TestApi> Instances { get; }

    /// <summary>tokenInfo calls the emulator has answered, from every instance.</summary>
    public long TokenInfoCalls => Emulator.GetStats().TokenInfoCalls;

    public string Mint(string scope = TokenInfoReply.AllScopes) => Emulator.MintToken(TestApi.ClientId, scope).AccessToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }
    }
}
