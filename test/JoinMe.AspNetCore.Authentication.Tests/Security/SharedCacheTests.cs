namespace JoinMe.AspNetCore.Authentication.Tests.Security;

/// <summary>
/// What a cache holds is what tokenInfo said, never one app's verdict: two APIs sharing one cache, both with the default scheme name, each judge a
/// token by their own allow-list; and within one app, a reload of the allow-list counts on the next request.
/// </summary>
public sealed class SharedCacheTests
{
    private const string OtherClient = "other-client";

    [Theory]
    [InlineData("the accepting app first")]
    [InlineData("the rejecting app first")]
    public async Task Two_apis_sharing_a_cache_each_judge_a_token_by_their_own_allowed_clients(string order)
    {
        var shared = new SharedCache();
        await using var accepting = new TestApi().WithServices(shared.AddTo).Configure(options =>
        {
            options.AllowedClientIds.Clear();
            options.AllowedClientIds.Add(OtherClient);
        });
        await using var rejecting = new TestApi().WithServices(shared.AddTo);
        foreach (var api in new[] { accepting, rejecting })
        {
            api.TokenInfo.Answers(now => TokenInfoReply.Valid(now.AddHours(1), clientId: OtherClient));
        }

        var first = order == "the accepting app first" ? accepting : rejecting;
        var second = first == accepting ? rejecting : accepting;
        using var firstAnswer = await first.GetAsync("/api/me", "tok3n");
        using var secondAnswer = await second.GetAsync("/api/me", "tok3n");

        Assert.Equal(first == accepting ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, firstAnswer.StatusCode);
        Assert.Equal(second == accepting ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, secondAnswer.StatusCode);
        Assert.Equal(1, first.TokenInfo.Calls);
        Assert.Equal(0, second.TokenInfo.Calls); // the second app judged what the first one's call had cached
    }

    [Fact]
    public async Task Removing_a_client_id_from_configuration_rejects_its_cached_tokens_on_the_next_request()
    {
        var settings = new ReloadableSettings
        {
            ["Authentication:Schemes:JoinMe:AllowedClientIds:0"] = "demo-client",
            ["Authentication:Schemes:JoinMe:AllowedClientIds:1"] = OtherClient,
        };
        await using var api = new TestApi().WithSettings(settings);
        api.TokenInfo.Answers(now => TokenInfoReply.Valid(now.AddHours(1), clientId: OtherClient));
        using var before = await api.GetAsync("/api/me", "tok3n");

        settings["Authentication:Schemes:JoinMe:AllowedClientIds:1"] = null;
        settings.Reload();
        using var after = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }
}
