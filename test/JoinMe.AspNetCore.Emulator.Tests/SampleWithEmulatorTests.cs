namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// The sample API and the handler against the emulator, end to end over HTTP (TestServer), on a fake clock: minted tokens,
/// scopes, revocation, expiry and every tokenInfo fault.
/// </summary>
public sealed class SampleWithEmulatorTests : IAsyncDisposable
{
    private const string ClientId = "demo-client";

    private readonly FakeTimeProvider _time = new(EmulatorHost.Start);
    private readonly JoinMeEmulator _emulator;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public SampleWithEmulatorTests()
    {
        _emulator = new JoinMeEmulator(timeProvider: _time);
        _factory = new WebApplicationFactory<Program>()
            .WithJoinMeEmulator(_emulator, ClientId)
            .WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time)));
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task A_minted_token_with_every_scope_reaches_every_endpoint()
    {
        var token = _emulator.MintToken(ClientId, "user_info scheduler start_meeting").AccessToken;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/user", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/meetings/start", token)).StatusCode);

        var me = await (await SendAsync(HttpMethod.Get, "/api/me", token)).Content.ReadFromJsonAsync<Me>(TestContext.Current.CancellationToken);
        Assert.Equal(ClientId, me!.client_id);
        Assert.Equal(["user_info", "scheduler", "start_meeting"], me.scopes);
        Assert.Equal("2026-11-29T10:00:00.0000000Z", me.expires_at);
    }

    [Fact]
    public async Task The_token_is_checked_once_and_then_served_from_the_cache()
    {
        var token = _emulator.MintToken(ClientId, "scheduler").AccessToken;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);
        }

        Assert.Equal(1, _emulator.GetStats().TokenInfoCalls);
    }

    [Theory]
    [InlineData("POST", "/api/meetings/start", "scheduler user_info", "start_meeting")]
    [InlineData("GET", "/api/meetings", "user_info start_meeting", "scheduler")]
    [InlineData("GET", "/api/user", "scheduler", "user_info")]
    public async Task A_missing_scope_gets_403_naming_it(string method, string path, string granted, string missing)
    {
        var token = _emulator.MintToken(ClientId, granted).AccessToken;

        var response = await SendAsync(new HttpMethod(method), path, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{missing}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task No_token_gets_401_with_a_bare_bearer_challenge_and_ping_stays_open()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/api/ping", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);

        var response = await _client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, _emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task A_token_the_emulator_never_issued_gets_401_invalid_token()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/me", "neverissued23456789abcd");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_issued_to_another_app_is_refused_as_a_confused_deputy()
    {
        _emulator.RegisterClient("another-app", "https://another.example/callback");
        var token = _emulator.MintToken("another-app", "scheduler").AccessToken;

        var response = await SendAsync(HttpMethod.Get, "/api/meetings", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_revoked_token_is_refused_once_its_cache_entry_is_evicted()
    {
        var token = _emulator.MintToken(ClientId, "scheduler").AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);

        Assert.True(_emulator.RevokeToken(token));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);
        await _factory.Services.GetRequiredService<JoinMeTokenCache>().EvictAsync(token, cancellationToken: TestContext.Current.CancellationToken);

        var response = await SendAsync(HttpMethod.Get, "/api/meetings", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_stops_working_when_it_expires_on_the_clock()
    {
        var token = _emulator.MintToken(ClientId, "scheduler", TimeSpan.FromHours(1)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", token)).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(1));
        var response = await SendAsync(HttpMethod.Get, "/api/meetings", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EmulatorHost.FailingFaults), MemberType = typeof(EmulatorHost))]
    public async Task A_failing_token_service_gives_new_tokens_503_with_retry_after_while_cached_tokens_keep_working(JoinMeEmulatorFaultMode fault)
    {
        var cached = _emulator.MintToken(ClientId, "scheduler").AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", cached)).StatusCode);
        var fresh = _emulator.MintToken(ClientId, "scheduler").AccessToken;

        _emulator.SetFault(fault);
        var refused = await SendAsync(HttpMethod.Get, "/api/meetings", fresh);
        var served = await SendAsync(HttpMethod.Get, "/api/meetings", cached);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.Headers.RetryAfter?.ToString());
        Assert.Empty(refused.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        _emulator.SetFault(JoinMeEmulatorFaultMode.None);
        _time.Advance(TimeSpan.FromSeconds(1)); // The handler remembers "unavailable" for a second.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/meetings", fresh)).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

#pragma warning disable IDE1006, CA1812 // JSON shape of /api/me.
    private sealed record Me(string client_id, string[] scopes, string expires_at);
#pragma warning restore IDE1006, CA1812
}
