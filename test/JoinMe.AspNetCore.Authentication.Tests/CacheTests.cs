using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using JoinMe.AspNetCore.Authentication.Internal;
using JoinMe.AspNetCore.Authentication.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>How long results live in the cache, on the test's fake clock, and what keeps them apart.</summary>
public sealed class CacheTests
{
    [Fact]
    public async Task Answers_a_second_request_with_the_same_token_from_the_cache()
    {
        await using var api = new TestApi();

        await api.MeAsync("tok3n");
        await api.MeAsync("tok3n");

        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Asks_again_for_a_different_token()
    {
        await using var api = new TestApi();

        await api.MeAsync("tok3n");
        await api.MeAsync("tok3n2");

        Assert.Equal(["tok3n", "tok3n2"], api.TokenInfo.Requests.Select(call => call.Token));
    }

    [Fact]
    public async Task Keeps_a_valid_result_until_expires_at_minus_the_clock_skew()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(10)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(9.5) - TimeSpan.FromSeconds(1));
        await api.MeAsync("tok3n");
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        using var atTheSkew = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(2, api.TokenInfo.Calls);
        Assert.Equal(HttpStatusCode.Unauthorized, atTheSkew.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token has expired.\"", atTheSkew.WwwAuthenticate());
    }

    [Fact]
    public async Task Keeps_a_valid_result_until_expires_at_when_ClockSkew_is_zero()
    {
        await using var api = new TestApi().Configure(options => options.ClockSkew = TimeSpan.Zero);
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(10)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        await api.MeAsync("tok3n");
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromTicks(1));
        using var expired = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(2, api.TokenInfo.Calls);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Caps_a_valid_result_at_MaxCacheDuration()
    {
        await using var api = new TestApi().Configure(options => options.MaxCacheDuration = TimeSpan.FromMinutes(5));
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await api.MeAsync("tok3n");
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        await api.MeAsync("tok3n");
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Takes_MaxCacheDuration_from_configuration()
    {
        await using var api = new TestApi().WithSchemeSetting("MaxCacheDuration", "00:01:00");
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(1));
        await api.MeAsync("tok3n");

        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Remembers_a_rejected_token_for_RejectedTokenCacheDuration_then_asks_again(int status)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Of(status));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();

        api.Time.Advance(TimeSpan.FromSeconds(29));
        using var remembered = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.Unauthorized, remembered.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        api.TokenInfo.AnswersValid();
        using var askedAgain = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.OK, askedAgain.StatusCode);
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Remembers_a_token_of_another_client_briefly_too()
    {
        await using var api = new TestApi().Configure(options => options.RejectedTokenCacheDuration = TimeSpan.FromSeconds(10));
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), clientId: "someone-else"));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();

        api.Time.Advance(TimeSpan.FromSeconds(9));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Does_not_remember_rejections_when_RejectedTokenCacheDuration_is_zero()
    {
        await using var api = new TestApi().Configure(options => options.RejectedTokenCacheDuration = TimeSpan.Zero);
        api.TokenInfo.Answers(TokenInfoReply.Of(401));

        (await api.GetAsync("/api/me", "tok3n")).Dispose();
        (await api.GetAsync("/api/me", "tok3n")).Dispose();

        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Never_caches_an_outage_so_the_next_request_asks_again_and_succeeds()
    {
        await using var api = new TestApi().Configure(options => options.Resilience.MaxRetryAttempts = 0);
        api.TokenInfo.AnswersInTurn(TokenInfoReply.Of(503), TokenInfoReply.Valid(TestApi.StartTime.AddHours(1)));

        using var outage = await api.GetAsync("/api/me", "tok3n");
        using var recovered = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Keeps_serving_a_cached_token_while_tokenInfo_is_down()
    {
        await using var api = new TestApi();
        await api.MeAsync("tok3n");
        api.TokenInfo.Answers(TokenInfoReply.Of(503));

        using var cached = await api.GetAsync("/api/me", "tok3n");
        using var uncached = await api.GetAsync("/api/me", "other");

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.StatusCode);
    }

    [Fact]
    public async Task Asks_again_after_the_token_is_evicted()
    {
        await using var api = new TestApi();
        await api.MeAsync("tok3n");
        await api.MeAsync("other");

        await api.Services.GetRequiredService<IJoinMeTokenCache>().EvictAsync("tok3n", cancellationToken: TestContext.Current.CancellationToken);
        await api.MeAsync("tok3n");
        await api.MeAsync("other");

        Assert.Equal(["tok3n", "other", "tok3n"], api.TokenInfo.Requests.Select(call => call.Token));
    }

    [Fact]
    public async Task Evicts_a_rejection_too_so_that_a_revived_token_is_accepted_at_once()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Of(401));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();
        api.TokenInfo.AnswersValid();

        await api.Services.GetRequiredService<IJoinMeTokenCache>().EvictAsync("tok3n", cancellationToken: TestContext.Current.CancellationToken);
        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Evicts_only_in_the_scheme_named()
    {
        await using var api = new TestApi();
        await api.MeAsync("tok3n");

        await api.Services.GetRequiredService<IJoinMeTokenCache>().EvictAsync("tok3n", "Other", TestContext.Current.CancellationToken);
        await api.MeAsync("tok3n");

        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Keeps_two_schemes_side_by_side_apart()
    {
        await using var api = new TestApi().WithServices(services =>
            services.AddAuthentication().AddJoinMe("Other", options => options.AllowedClientIds.Add("demo-client")));

        await api.ProbeAsync("tok3n", JoinMeAuthenticationDefaults.AuthenticationScheme);
        await api.ProbeAsync("tok3n", "Other");
        Assert.Equal(2, api.TokenInfo.Calls);

        await api.ProbeAsync("tok3n", JoinMeAuthenticationDefaults.AuthenticationScheme);
        await api.ProbeAsync("tok3n", "Other");
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Judges_a_token_by_each_scheme_s_own_allowed_clients()
    {
        await using var api = new TestApi().WithServices(services =>
            services.AddAuthentication().AddJoinMe("Other", options => options.AllowedClientIds.Add("other-client")));

        var accepted = await api.ProbeAsync("tok3n", JoinMeAuthenticationDefaults.AuthenticationScheme);
        using var rejected = await api.GetAsync("/__test/auth/Other", "tok3n");

        Assert.Equal("demo-client", accepted.ValuesOf(JoinMeClaimTypes.ClientId).Single());
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"", rejected.WwwAuthenticate());
    }

    [Fact]
    public void Keys_a_token_by_scheme_and_hash_and_never_shows_the_token()
    {
        const string token = "tok3nSecret";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

        var key = JoinMeTokenCacheKey.Create("JoinMe", token);

        Assert.Equal("JoinMe", key.Scheme);
        Assert.Equal("JoinMeTokenCacheKey(JoinMe)", key.ToString());
        Assert.Equal($"joinme:JoinMe:{hash}", key.ToDistributedCacheKey());
        Assert.DoesNotContain(token, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, key.ToDistributedCacheKey(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gives_equal_keys_for_one_token_in_one_scheme_and_different_keys_otherwise()
    {
        var key = JoinMeTokenCacheKey.Create("JoinMe", "tok3n");

        Assert.Equal(key, JoinMeTokenCacheKey.Create("JoinMe", "tok3n"));
        Assert.Equal(key.GetHashCode(), JoinMeTokenCacheKey.Create("JoinMe", "tok3n").GetHashCode());
        Assert.NotEqual(key, JoinMeTokenCacheKey.Create("Other", "tok3n"));
        Assert.NotEqual(key, JoinMeTokenCacheKey.Create("JoinMe", "tok3N"));
        Assert.NotEqual(key.ToDistributedCacheKey(), JoinMeTokenCacheKey.Create("Other", "tok3n").ToDistributedCacheKey());
    }

    [Fact]
    public void Hashes_a_long_token_whole()
    {
        var longToken = new string('a', 4000);

        Assert.NotEqual(JoinMeTokenCacheKey.Create("JoinMe", longToken), JoinMeTokenCacheKey.Create("JoinMe", longToken + "b"));
        Assert.Equal(JoinMeTokenCacheKey.Create("JoinMe", longToken), JoinMeTokenCacheKey.Create("JoinMe", new string('a', 4000)));
    }

    [Fact]
    public async Task Never_holds_more_results_than_SizeLimit_however_many_tokens_arrive()
    {
        await using var api = new TestApi().WithServices(services => services.Configure<JoinMeTokenCacheOptions>(options => options.SizeLimit = 3));

        for (var i = 0; i < 20; i++)
        {
            await api.MeAsync(Tokens.New());
        }

        var cache = Assert.IsType<MemoryJoinMeTokenCache>(api.Services.GetRequiredService<IJoinMeTokenCache>());
        Assert.InRange(cache.Count, 1, 3);
    }

    [Fact]
    public async Task Re_checks_expiry_on_a_cache_hit_even_when_the_cache_keeps_the_entry_longer()
    {
        var cache = new NeverExpiringCache();
        await using var api = new TestApi().WithServices(services => services.AddSingleton<IJoinMeTokenCache>(cache));
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(10)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(9.5));
        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Treats_a_failing_cache_as_a_miss()
    {
        await using var api = new TestApi().WithServices(services => services.AddSingleton<IJoinMeTokenCache>(new BrokenCache()));

        await api.MeAsync("tok3n");
        await api.MeAsync("tok3n");

        Assert.Equal(2, api.TokenInfo.Calls);
    }

    /// <summary>A cache, such as a shared one with coarse expiry, that keeps what it is given and ignores the expiry.</summary>
    private sealed class NeverExpiringCache : IJoinMeTokenCache
    {
        private readonly ConcurrentDictionary<JoinMeTokenCacheKey, JoinMeTokenValidationResult> _entries = new();

        public ValueTask<JoinMeTokenValidationResult?> GetAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default) =>
            new(_entries.TryGetValue(key, out var result) ? result : null);

        public ValueTask SetAsync(JoinMeTokenCacheKey key, JoinMeTokenValidationResult result, DateTimeOffset absoluteExpiration, CancellationToken cancellationToken = default)
        {
            _entries[key] = result;
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default)
        {
            _entries.TryRemove(key, out _);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class BrokenCache : IJoinMeTokenCache
    {
        public ValueTask<JoinMeTokenValidationResult?> GetAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<JoinMeTokenValidationResult?>(new InvalidOperationException("The cache is down."));

        public ValueTask SetAsync(JoinMeTokenCacheKey key, JoinMeTokenValidationResult result, DateTimeOffset absoluteExpiration, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new InvalidOperationException("The cache is down."));

        public ValueTask RemoveAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new InvalidOperationException("The cache is down."));
    }
}
