using JoinMe.AspNetCore.Authentication.Redis.Tests.Servers;
using StackExchange.Redis;

namespace JoinMe.AspNetCore.Authentication.Redis.Tests;

/// <summary>
/// Three instances of the sample share one Redis (Garnet in process, and Debian's redis-server) and one emulator: one tokenInfo call per token
/// cluster-wide, sign-out seen everywhere, forged entries refused, and a Redis outage survived.
/// </summary>
public sealed class SharedTierTests
{
    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task A_token_validated_on_one_instance_is_accepted_by_the_others_without_another_tokenInfo_call(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);
        await using var cluster = new Cluster(redis);
        var token = cluster.Mint();

        foreach (var instance in cluster.Instances)
        {
            using var response = await instance.GetAsync("/api/me", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, cluster.TokenInfoCalls);
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task A_hundred_bursts_of_150_simultaneous_requests_over_three_instances_make_one_tokenInfo_call_each(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);

        // Redis may answer later than the default 100 ms on a machine that also runs the rest of the suite: a late answer costs one more tokenInfo
        // call by design (the request goes on without the shared tier), and this test counts calls, so it gives Redis the time it needs.
        await using var cluster = new Cluster(redis, options => options.OperationTimeout = TimeSpan.FromSeconds(5));

        for (var burst = 1; burst <= 100; burst++)
        {
            var token = cluster.Mint();
            var requests = Enumerable.Range(0, 150).Select(i => cluster.Instances[i % 3].GetAsync("/api/me", token)).ToArray();
            var responses = await Task.WhenAll(requests);

            Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
            Assert.Equal(burst, cluster.TokenInfoCalls);
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task A_token_revoked_through_one_instance_gets_401_from_all_three_while_join_me_still_vouches_for_it(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);
        await using var cluster = new Cluster(redis);
        var token = cluster.Mint();
        foreach (var instance in cluster.Instances)
        {
            (await instance.GetAsync("/api/me", token)).Dispose();
        }

        await cluster.Instances[1].Tokens.RevokeAsync(token, cancellationToken: TestContext.Current.CancellationToken);

        // The other instances drop their memory of the token when the backplane's message arrives; until then they may still answer 200.
        foreach (var instance in cluster.Instances)
        {
            await Wait.UntilAsync(() => Status(instance, token) == HttpStatusCode.Unauthorized, "the revocation to reach every instance");
        }

        Assert.Equal(1, cluster.TokenInfoCalls);
        using var joinMe = new HttpClient(cluster.Emulator.CreateBackchannelHandler());
        using var stillValid = await joinMe.GetAsync(
            $"http://localhost{JoinMeAuthenticationDefaults.TokenInfoPath}?access_token={token}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task A_token_evicted_through_one_instance_is_asked_about_again_by_the_others(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);
        await using var cluster = new Cluster(redis);
        var token = cluster.Mint();
        (await cluster.Instances[0].GetAsync("/api/me", token)).Dispose();
        (await cluster.Instances[2].GetAsync("/api/me", token)).Dispose();

        await cluster.Instances[0].Tokens.EvictAsync(token, cancellationToken: TestContext.Current.CancellationToken);
        await Wait.UntilAsync(
            () => Status(cluster.Instances[2], token) == HttpStatusCode.OK && cluster.TokenInfoCalls == 2, "another instance to ask tokenInfo again");
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task An_entry_written_straight_into_Redis_is_not_accepted_and_what_is_written_holds_no_token_or_hash(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);
        await using var cluster = new Cluster(redis);
        var real = cluster.Mint();
        (await cluster.Instances[0].GetAsync("/api/me", real)).Dispose();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServer(redis.Configuration);
        // The entry is the key that ends with the token's hash (FusionCache's own keys, such as its locks, end otherwise).
        var key = Assert.Single(server.Keys(pattern: "*" + cluster.KeyPrefix + "*"), k => k.ToString().EndsWith(KeyHashOf(cluster, real), StringComparison.Ordinal));
        var entry = (byte[])(await connection.GetDatabase().HashGetAsync(key, "data"))!;
        Tokens.AssertNoneLeaked([real], [("Redis entry", System.Text.Encoding.Latin1.GetString(entry)), ("Redis entry base64", Convert.ToBase64String(entry))]);

        // A forged entry under the key of a token join.me never issued, in the shape a valid one would have if it were not authenticated.
        var forged = Tokens.New();
        var forgedKey = ((string)key!).Replace(KeyHashOf(cluster, real), KeyHashOf(cluster, forged), StringComparison.Ordinal);
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"value":{"reason":0,"info":{"client_id":"demo-client","scopes":["user_info","scheduler","start_meeting"],"expires_at":"2099-01-01T00:00:00+00:00"},"fetched_at":"{{TestApi.StartTime:O}}"},"timestamp":0,"logical_expiration_timestamp":{{DateTime.MaxValue.Ticks}},"tags":null,"metadata":null}""");
        await connection.GetDatabase().HashSetAsync(forgedKey, [new HashEntry("data", body), new HashEntry("absexp", -1), new HashEntry("sldexp", -1)]);

        using var response = await cluster.Instances[1].GetAsync("/api/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, cluster.TokenInfoCalls);
        Assert.Contains(cluster.Instances[1].Logs.GetSnapshot(), log => log.Id.Name == "SharedEntryRejected");
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task When_Redis_dies_cached_tokens_keep_working_new_ones_are_validated_nothing_answers_500_and_the_shared_tier_comes_back(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);
        await using var cluster = new Cluster(redis);
        var cached = cluster.Mint();
        foreach (var instance in cluster.Instances)
        {
            Assert.Equal(HttpStatusCode.OK, Status(instance, cached));
        }

        await redis.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            var instance = cluster.Instances[i % 3];
            statuses.Add(Status(instance, cached));
            statuses.Add(Status(instance, cluster.Mint()));
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        await redis.StartAsync();
        await Wait.UntilAsync(
            () =>
            {
                var token = cluster.Mint();
                var calls = cluster.TokenInfoCalls;
                return Status(cluster.Instances[0], token) == HttpStatusCode.OK
                    && Status(cluster.Instances[1], token) == HttpStatusCode.OK
                    && cluster.TokenInfoCalls == calls + 1;
            },
            "the shared tier to serve one instance's answer to another again");
    }

    [Theory]
    [MemberData(nameof(RedisServer.Kinds), MemberType = typeof(RedisServer))]
    public async Task After_a_Redis_restart_a_token_validated_while_one_instance_still_leaves_Redis_alone_does_not_make_another_wait_for_its_lock(string kind)
    {
        await using var redis = await RedisServer.StartAsync(kind);

        // Instance 0 leaves the shared tier alone for a minute after a failure instead of a second, so that the moment around a restart when it
        // takes locks again but does not yet write entries lasts as long as the test needs; every instance logs its connection coming back.
        await using var cluster = new Cluster(redis, instance: api => api.CaptureLogsAt(LogLevel.Information).WithServices(services =>
            services.Configure<ZiggyCreatures.Caching.Fusion.FusionCacheOptions>(
                JoinMeAuthenticationDefaults.CacheName, options => options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromMinutes(1))));
        var (first, second) = (cluster.Instances[0], cluster.Instances[1]);

        await redis.StopAsync();
        Assert.Equal(HttpStatusCode.OK, Status(first, cluster.Mint())); // instance 0 finds Redis gone: its shared tier is off for a minute
        await redis.StartAsync();
        foreach (var instance in new[] { first, second })
        {
            await Wait.UntilAsync(
                () => instance.Logs.GetSnapshot().Any(log => log.Id.Id == 21 && log.Message.Contains(nameof(ConnectionType.Interactive), StringComparison.Ordinal)),
                "the instance's Redis connection to come back");
        }

        // Instance 0 asks tokenInfo under the cluster's lock, but does not write the answer to Redis (its shared tier is still off).
        var token = cluster.Mint();
        Assert.Equal(HttpStatusCode.OK, Status(first, token));

        // Instance 1 finds no entry and takes the lock: it must not wait for a lock nobody holds any longer.
        var waited = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, Status(second, token));
        waited.Stop();

        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1.5), $"The request waited {waited.Elapsed.TotalSeconds:0.00} s.");
        Assert.Equal(3, cluster.TokenInfoCalls);
    }

    private static HttpStatusCode Status(TestApi instance, string token)
    {
        using var response = instance.GetAsync("/api/me", token).GetAwaiter().GetResult();
        return response.StatusCode;
    }

    private static string KeyHashOf(Cluster cluster, string token) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
