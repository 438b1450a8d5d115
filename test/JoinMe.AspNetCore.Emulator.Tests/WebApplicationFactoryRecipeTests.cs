namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The three-line recipe for a user's own WebApplicationFactory tests.</summary>
public sealed class WebApplicationFactoryRecipeTests
{
    [Fact]
    public async Task Three_lines_give_a_users_app_tokens_its_policies_accept_or_refuse()
    {
        var emulator = new JoinMeEmulator();
        await using var factory = new ProtectedApiFactory().WithJoinMeEmulator(emulator, clientId: "my-api-key");
        var token = emulator.MintToken("my-api-key", "scheduler");

        using var client = factory.CreateClient();
        using var meetings = await GetAsync(client, "/api/meetings", token.AccessToken);
        using var user = await GetAsync(client, "/api/user", token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, meetings.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.True(emulator.GetStats().TokenInfoCalls >= 1);
    }

    [Fact]
    public async Task Tokens_of_another_client_are_refused_by_the_app()
    {
        var emulator = new JoinMeEmulator();
        emulator.RegisterClient("someone-else", "https://else.example/");
        await using var factory = new ProtectedApiFactory().WithJoinMeEmulator(emulator, clientId: "my-api-key");
        var token = emulator.MintToken("someone-else", "scheduler");

        using var client = factory.CreateClient();
        using var response = await GetAsync(client, "/api/meetings", token.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WithJoinMeEmulator_registers_the_client_once_adds_it_to_the_allowed_ids_and_keeps_the_apps_own_ids()
    {
        var emulator = new JoinMeEmulator();
        emulator.RegisterClient("my-api-key", "https://mine.example/callback");
        await using var factory = new ProtectedApiFactory().WithJoinMeEmulator(emulator, clientId: "my-api-key", redirectUri: "http://localhost/ignored");

        var options = factory.Services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(JoinMeAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal(["production-key", "my-api-key"], options.AllowedClientIds);
        Assert.Equal([new JoinMeEmulatorClient("my-api-key", "https://mine.example/callback")], emulator.GetClients());
        Assert.Same(emulator, factory.Services.GetRequiredService<JoinMeEmulator>());
    }

    [Fact]
    public void WithJoinMeEmulator_registers_a_new_client_with_the_default_callback()
    {
        var emulator = new JoinMeEmulator();
        using var factory = new ProtectedApiFactory().WithJoinMeEmulator(emulator, clientId: "my-api-key");

        Assert.Equal([new JoinMeEmulatorClient("my-api-key", "http://localhost/callback")], emulator.GetClients());
    }

    [Fact]
    public async Task Revocation_and_faults_set_on_the_emulator_reach_the_app()
    {
        var emulator = new JoinMeEmulator();
        await using var factory = new ProtectedApiFactory().WithJoinMeEmulator(emulator, clientId: "my-api-key");
        var token = emulator.MintToken("my-api-key", "scheduler");
        emulator.RevokeToken(token.AccessToken);
        var other = emulator.MintToken("my-api-key", "scheduler");
        var later = emulator.MintToken("my-api-key", "scheduler");
        emulator.SetFault(JoinMeEmulatorFaultMode.Down);

        using var client = factory.CreateClient();
        using var whileDown = await GetAsync(client, "/api/meetings", other.AccessToken);
        emulator.SetFault(JoinMeEmulatorFaultMode.None);
        using var revoked = await GetAsync(client, "/api/meetings", token.AccessToken);
        using var live = await GetAsync(client, "/api/meetings", later.AccessToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A user's API protected by join.me, accepting its production key only, as it ships.</summary>
    private sealed class ProtectedApiFactory : WebApplicationFactory<ProtectedApiFactory>
    {
        // The app's entry-point assembly is this test assembly, which has no project folder of its own to be a content root.
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);

        protected override IHostBuilder CreateHostBuilder() =>
            Host.CreateDefaultBuilder()
                // The output folder also holds the sample's appsettings.json (this project runs the sample elsewhere): not this app's.
                .ConfigureAppConfiguration(configuration => configuration.Sources.Clear())
                .ConfigureLogging(logging => logging.ClearProviders())
                .ConfigureWebHostDefaults(web => web
                    .ConfigureServices(services =>
                    {
                        services.AddRouting();
                        services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme)
                            .AddJoinMe(options => options.AllowedClientIds.Add("production-key"));
                        services.AddAuthorization();
                    })
                    .Configure(app =>
                    {
                        app.UseRouting();
                        app.UseAuthentication();
                        app.UseAuthorization();
                        app.UseEndpoints(endpoints =>
                        {
                            endpoints.MapGet("/api/meetings", () => "meetings").RequireScope(JoinMeScopes.Scheduler);
                            endpoints.MapGet("/api/user", () => "user").RequireScope(JoinMeScopes.UserInfo);
                        });
                    }));
    }
}
