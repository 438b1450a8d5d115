using Microsoft.AspNetCore.Authorization;

namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>Registering and hosting the emulator, alone and beside the JoinMe handler, as the sample does.</summary>
public sealed class HostingTests
{
    [Fact]
    public void AddJoinMeEmulator_registers_one_singleton_that_applies_every_configuration_and_the_containers_clock()
    {
        var time = new FakeTimeProvider(EmulatorHost.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddJoinMeEmulator(options => options.TokenLifetime = TimeSpan.FromHours(1));
        services.AddJoinMeEmulator(options => options.Clients.Add(new("app", "https://app.example/")));
        using var provider = services.BuildServiceProvider();

        var emulator = provider.GetRequiredService<JoinMeEmulator>();

        Assert.Single(provider.GetServices<JoinMeEmulator>());
        Assert.Same(emulator, provider.GetRequiredService<JoinMeEmulator>());
        Assert.Same(time, emulator.TimeProvider);
        Assert.Equal(EmulatorHost.Start.AddHours(1), emulator.MintToken("app", "scheduler").ExpiresAt);
    }

    [Fact]
    public async Task Invalid_emulator_options_stop_the_app_at_start_with_a_message_naming_the_setting()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddJoinMeEmulator(options => options.RevocationDelay = TimeSpan.FromMinutes(-1));
        await using var app = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            app.MapJoinMeEmulator();
            await app.StartAsync(TestContext.Current.CancellationToken);
        });

        Assert.Contains("JoinMeEmulatorOptions.RevocationDelay is -00:01:00; it must be zero or positive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapJoinMeEmulator_without_AddJoinMeEmulator_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapJoinMeEmulator());

        Assert.Equal("The join.me emulator is not registered: call services.AddJoinMeEmulator() before app.MapJoinMeEmulator().", exception.Message);
    }

    [Fact]
    public async Task AddJoinMeEmulatorBackchannel_routes_the_named_tokenInfo_client_to_the_registered_emulator()
    {
        var services = new ServiceCollection();
        services.AddJoinMeEmulator(options => options.Clients.Add(new("app", "https://app.example/")));
        services.AddJoinMeEmulatorBackchannel();
        await using var provider = services.BuildServiceProvider();
        var token = provider.GetRequiredService<JoinMeEmulator>().MintToken("app", "scheduler");
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(JoinMeAuthenticationDefaults.HttpClientName);

        using var response = await client.GetAsync(
            $"http://localhost{JoinMeAuthenticationDefaults.TokenInfoPath}?access_token={token.AccessToken}",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, provider.GetRequiredService<JoinMeEmulator>().GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task AddJoinMeEmulatorBackchannel_routes_the_named_tokenInfo_client_to_a_given_emulator()
    {
        var emulator = new JoinMeEmulator();
        var services = new ServiceCollection();
        services.AddJoinMeEmulatorBackchannel(emulator);
        await using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(JoinMeAuthenticationDefaults.HttpClientName);

        using var response = await client.GetAsync(
            $"http://localhost{JoinMeAuthenticationDefaults.TokenInfoPath}?access_token=unknown",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, emulator.GetStats().TokenInfoCalls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_app_hosting_the_emulator_and_the_handler_walks_the_implicit_grant_and_authorizes_by_scope(bool backchannelBeforeAddJoinMe)
    {
        await using var app = await StartApiWithEmulatorAsync(backchannelBeforeAddJoinMe);
        using var client = app.GetTestClient();
        var emulator = app.Services.GetRequiredService<JoinMeEmulator>();

        using var consent = await client.GetAsync(
            "/api/public/v1/auth/oauth2?response_type=token&client_id=demo&redirect_uri=http%3A%2F%2Flocalhost%2F&scope=scheduler&state=s1",
            TestContext.Current.CancellationToken);
        var html = await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var ticket = System.Text.RegularExpressions.Regex.Match(html, "name=\"ticket\" value=\"([^\"]+)\"").Groups[1].Value;
        var setCookie = consent.Headers.GetValues("Set-Cookie").Single();
        using var answer = new HttpRequestMessage(HttpMethod.Post, "/api/public/v1/auth/oauth2")
        {
            Content = new FormUrlEncodedContent([new("ticket", ticket), new("decision", "allow")]),
        };
        answer.Headers.Add("Cookie", setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)]);
        using var redirect = await client.SendAsync(answer, TestContext.Current.CancellationToken);
        var fragment = Fragment.Parse(redirect.Headers.Location!.OriginalString);

        Assert.Equal("s1", fragment["state"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/meetings", fragment["access_token"])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, "/api/user", fragment["access_token"])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/meetings", "unknownunknownunknown234")).StatusCode);
        Assert.True(emulator.GetStats().TokenInfoCalls >= 2);
    }

    [Fact]
    public async Task The_emulators_endpoints_stay_reachable_under_a_fallback_policy_that_requires_a_user()
    {
        await using var app = await StartApiWithEmulatorAsync();
        using var client = app.GetTestClient();

        using var protectedEndpoint = await client.GetAsync("/api/fallback", TestContext.Current.CancellationToken);
        using var stats = await client.GetAsync("/_emulator/stats", TestContext.Current.CancellationToken);
        using var consent = await client.GetAsync(
            "/api/public/v1/auth/oauth2?response_type=token&client_id=demo&redirect_uri=http%3A%2F%2Flocalhost%2F&scope=scheduler",
            TestContext.Current.CancellationToken);
        using var tokenInfo = await client.GetAsync("/api/public/v1/auth/tokenInfo?access_token=abc", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, protectedEndpoint.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenInfo.StatusCode);
        Assert.Contains("invalid_token", await tokenInfo.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>An API like the sample: the emulator and the JoinMe handler in one app, tokenInfo in memory.</summary>
    private static async Task<WebApplication> StartApiWithEmulatorAsync(bool backchannelBeforeAddJoinMe = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddJoinMeEmulator(options => options.Clients.Add(new("demo", "http://localhost/")));
        if (backchannelBeforeAddJoinMe)
        {
            builder.Services.AddJoinMeEmulatorBackchannel();
        }

        builder.Services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme)
            .AddJoinMe(options =>
            {
                options.AllowedClientIds.Add("demo");
                options.Authority = "http://localhost";
                options.RequireHttpsAuthority = false;
            });
        if (!backchannelBeforeAddJoinMe)
        {
            builder.Services.AddJoinMeEmulatorBackchannel();
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJoinMeEmulator();
        app.MapGet("/api/meetings", () => "meetings").RequireScope(JoinMeScopes.Scheduler);
        app.MapGet("/api/user", () => "user").RequireScope(JoinMeScopes.UserInfo);
        app.MapGet("/api/fallback", () => "fallback");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
