namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>How long what tokenInfo said is trusted, on the test's fake clock, and what the cache holds.</summary>
public sealed class CacheTests
{
    [Theory]
    [InlineData("tok3n", new[] { "tok3n" })]
    [InlineData("tok3n2", new[] { "tok3n", "tok3n2" })]
    public async Task Answers_a_second_request_from_the_cache_only_when_it_carries_the_same_token(string secondToken, string[] asked)
    {
        await using var api = new TestApi();

        await api.MeAsync("tok3n");
        await api.MeAsync(secondToken);

        Assert.Equal(asked, api.TokenInfo.Requests.Select(call => call.Token));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(0)]
    public async Task Rejects_a_cached_token_from_expires_at_minus_the_clock_skew_without_asking_again(int clockSkewSeconds)
    {
        await using var api = new TestApi().Configure(options => options.ClockSkew = TimeSpan.FromSeconds(clockSkewSeconds));
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(10)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(clockSkewSeconds) - TimeSpan.FromTicks(1));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromTicks(1));
        using var expired = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(Challenges.Expired, expired.WwwAuthenticate());
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData(null, 24 * 60)]
    [InlineData("00:05:00", 5)]
    public async Task Asks_join_me_again_once_its_answer_is_MaxCacheDuration_old_even_for_a_token_that_lives_longer(string? setting, int minutes)
    {
        await using var api = new TestApi().WithSchemeSetting("MaxCacheDuration", setting);
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddDays(30)));
        await api.MeAsync("tok3n");

        await api.AssertTrustedForAsync("tok3n", TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public async Task Keeps_what_join_me_said_of_another_client_s_token_as_long_as_any_other_answer()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), clientId: "someone-else"));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();

        api.Time.Advance(TimeSpan.FromMinutes(50));
        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
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
    public async Task Remembers_an_outage_for_one_second_only_then_asks_again_and_succeeds()
    {
        await using var api = new TestApi();
        api.TokenInfo.AnswersInTurn(TokenInfoReply.Of(503), TokenInfoReply.Of(503), TokenInfoReply.Valid(TestApi.StartTime.AddHours(1)));

        using var outage = await api.GetAsync("/api/me", "tok3n");
        using var withinTheSecond = await api.GetAsync("/api/me", "tok3n");
        api.Time.Advance(TimeSpan.FromSeconds(1));
        using var recovered = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withinTheSecond.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(3, api.TokenInfo.Calls); // the outage's attempt and its one retry, then the answer
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

        await api.Tokens.EvictAsync("tok3n", cancellationToken: TestContext.Current.CancellationToken);
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

        await api.Tokens.EvictAsync("tok3n", cancellationToken: TestContext.Current.CancellationToken);
        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rejects_a_revoked_token_at_once_and_without_asking_join_me_while_join_me_still_vouches_for_it()
    {
        await using var api = new TestApi();
        await api.MeAsync("tok3n");

        await api.Tokens.RevokeAsync("tok3n", cancellationToken: TestContext.Current.CancellationToken);
        using var response = await api.GetAsync("/api/me", "tok3n");
        await api.Tokens.RevokeAsync("never-seen", cancellationToken: TestContext.Current.CancellationToken);
        using var neverSeen = await api.GetAsync("/api/me", "never-seen");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenges.Revoked, response.WwwAuthenticate());
        Assert.Equal(HttpStatusCode.Unauthorized, neverSeen.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Evicts_under_the_scheme_s_own_authority_only()
    {
        await using var api = new TestApi().WithServices(services => services.AddAuthentication().AddJoinMe("Other", options =>
        {
            options.Authority = "https://elsewhere.example";
            options.AllowedClientIds.Add("demo-client");
        }));
        await api.MeAsync("tok3n");

        await api.Tokens.EvictAsync("tok3n", "Other", TestContext.Current.CancellationToken);
        await api.MeAsync("tok3n");

        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Shares_what_tokenInfo_said_between_schemes_of_one_authority_and_keeps_other_authorities_apart()
    {
        await using var api = new TestApi().WithServices(services => services.AddAuthentication()
            .AddJoinMe("Twin", options => options.AllowedClientIds.Add("demo-client"))
            .AddJoinMe("Elsewhere", options =>
            {
                options.Authority = "https://elsewhere.example";
                options.AllowedClientIds.Add("demo-client");
            }));

        foreach (var scheme in new[] { "JoinMe", "Twin", "Elsewhere", "JoinMe", "Twin", "Elsewhere" })
        {
            await api.ProbeAsync("tok3n", scheme);
        }

        Assert.Equal(["secure.join.me", "elsewhere.example"], api.TokenInfo.Requests.Select(call => call.Uri.Host));
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
        Assert.Equal(Challenges.Invalid, rejected.WwwAuthenticate());
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Never_holds_more_answers_in_memory_than_the_memory_tier_s_SizeLimit()
    {
        await using var api = new TestApi().WithServices(services =>
            services.Configure<MemoryCacheOptions>(JoinMeAuthenticationDefaults.CacheName, options => options.SizeLimit = 3));

        for (var i = 0; i < 20; i++)
        {
            await api.MeAsync(Tokens.New());
        }

        var memory = Assert.IsType<MemoryCache>(api.Services.GetRequiredKeyedService<IMemoryCache>(JoinMeAuthenticationDefaults.CacheName));
        Assert.InRange(memory.Count, 1, 3);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(OperationCanceledException))]
    public async Task Treats_a_failing_shared_tier_as_a_miss_and_still_validates_through_tokenInfo(Type failure)
    {
        var broken = new SharedCache { Store = new BrokenDistributedCache(() => (Exception)Activator.CreateInstance(failure, "The shared tier is down.")!) };
        await using var api = new TestApi().WithServices(broken.AddTo);

        using var first = await api.GetAsync("/api/me", "tok3n");
        using var second = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }
}
