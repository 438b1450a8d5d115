using Microsoft.AspNetCore.Authorization;

namespace JoinMe.AspNetCore.Authentication.Tests.Security;

/// <summary>The edge cases a security review found: expiries at the ends of time, a forbid after the response started, and policy registration order.</summary>
public sealed class EdgeCaseTests
{
    [Theory]
    [InlineData("-62135596800")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    [InlineData("-62135596800000")]
    public async Task An_expiry_at_the_start_of_time_is_simply_expired(string expiresAt)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json($$"""{"client_id":"demo-client","scope":"user_info","expires_at":{{expiresAt}}}"""));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenges.Expired, response.WwwAuthenticate());
    }

    [Theory]
    [InlineData("\"9999-12-31T23:59:59Z\"")]
    [InlineData("99999999999999")]
    public async Task An_expiry_far_in_the_future_is_trusted_for_MaxCacheDuration_only(string expiresAt)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json($$"""{"client_id":"demo-client","scope":"user_info","expires_at":{{expiresAt}}}"""));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await api.MeAsync("tok3n");
        api.Time.Advance(TimeSpan.FromSeconds(1));
        api.TokenInfo.Answers(TokenInfoReply.StaleToken());
        using var revoked = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task A_forbid_after_the_response_has_started_writes_nothing_and_does_not_fail()
    {
        await using var api = new TestApi().WithServices(services => services.AddSingleton<IStartupFilter>(new ForbidAfterStart()));
        api.TokenInfo.AnswersValid("user_info");

        using var response = await api.GetAsync("/__test/forbid-after-start", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("started", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(response.WwwAuthenticate());
    }

    [Theory]
    [InlineData("after AddJoinMe")]
    [InlineData("before AddJoinMe")]
    public async Task Scope_policies_bound_to_a_scheme_win_whichever_is_registered_first(string order)
    {
        var services = new ServiceCollection().AddLogging();
        void Policies() => services.AddAuthorization(options => options.AddJoinMeScopePolicies("Partner"));
        if (order == "before AddJoinMe")
        {
            Policies();
        }

        services.AddAuthentication().AddJoinMe(options => options.AllowedClientIds.Add("demo-client"));
        if (order == "after AddJoinMe")
        {
            Policies();
        }

        await using var provider = services.BuildServiceProvider();
        var policy = await provider.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(JoinMeScopes.StartMeeting);

        Assert.Equal(["Partner"], policy!.AuthenticationSchemes);
        Assert.Equal([JoinMeScopes.StartMeeting], Assert.IsType<JoinMeScopeRequirement>(Assert.Single(policy.Requirements)).Scopes);
    }

    /// <summary>An endpoint that starts its response, then forbids: the handler must leave the response alone, as JwtBearer does.</summary>
    private sealed class ForbidAfterStart : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/__test/forbid-after-start", branch => branch.Run(async context =>
            {
                await context.Response.WriteAsync("started");
                await context.Response.Body.FlushAsync();
                await context.ForbidAsync(JoinMeAuthenticationDefaults.AuthenticationScheme);
            }));
            next(app);
        };
    }
}
