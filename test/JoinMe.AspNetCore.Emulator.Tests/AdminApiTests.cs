namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The admin API under /_emulator drives the emulator over HTTP, with clear errors for bad input.</summary>
public sealed class AdminApiTests
{
    private const string NotJson = "The body is not valid JSON for this request: ";

    [Fact]
    public async Task Get_clients_lists_the_registered_clients()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync("/_emulator/clients", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """[{"client_id":"test-client","redirect_uri":"https://app.example/callback","redirect_uris":["https://app.example/callback"]}]""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Post_clients_registers_a_client_that_can_then_authorize()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/clients", """{"client_id":"new-app","redirect_uri":"http://localhost:5000/"}""");
        var page = await host.OpenConsentAsync(AuthorizeUrl(clientId: "new-app", redirectUri: "http://localhost:5000/"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            """{"client_id":"new-app","redirect_uri":"http://localhost:5000/","redirect_uris":["http://localhost:5000/"]}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("new-app", page.Html, StringComparison.Ordinal);
        Assert.Equal(2, host.Emulator.GetClients().Count);
    }

    [Fact]
    public async Task Post_clients_for_a_registered_client_replaces_its_callback_and_answers_200()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/clients", """{"client_id":"test-client","redirect_uri":"https://app.example/other"}""");
        using var old = await host.Client.GetAsync(AuthorizeUrl(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://app.example/other", Assert.Single(host.Emulator.GetClients()).RedirectUri);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
    }

    [Theory]
    [InlineData("""{"redirect_uri":"https://a.example/"}""", "client_id is required and must not be blank.")]
    [InlineData("""{"client_id":"  ","redirect_uri":"https://a.example/"}""", "client_id is required and must not be blank.")]
    [InlineData("""{"client_id":"a b","redirect_uri":"https://a.example/"}""", "client_id must be at most 2048 visible ASCII characters, without spaces.")]
    [InlineData("""{"client_id":"app"}""", "redirect_uri is required for client 'app': the application's Callback URL.")]
    [InlineData("""{"client_id":"app","redirect_uri":"/callback"}""", "redirect_uri '/callback' must be an absolute http or https URL.")]
    [InlineData("""{"client_id":"app","redirect_uri":"javascript:alert(1)"}""", "redirect_uri 'javascript:alert(1)' must be an absolute http or https URL.")]
    [InlineData("""{"client_id":"app","redirect_uri":"https://a.example/#x"}""", "redirect_uri 'https://a.example/#x' must not contain a fragment (#): the emulator puts its answer there.")]
    [InlineData("""{"client_id":"app","redirect_uri":"https://a.example/é"}""", "redirect_uri 'https://a.example/é' must be at most 2048 visible ASCII characters; percent-encode anything else.")]
    [InlineData("""{"client_id":"app","redirect_uris":[]}""", "redirect_uri is required for client 'app': the application's Callback URL.")]
    [InlineData("""{"client_id":"app","redirect_uris":["https://a.example/",null]}""", "redirect_uri is required for client 'app'")]
    [InlineData("""{"client_id":"app","redirect_uri":"https://a.example/","redirect_uris":["/relative"]}""", "redirect_uri '/relative' must be an absolute http or https URL.")]
    [InlineData("""{"client_id":"app","redirect_uris":"https://a.example/"}""", "The body is not valid JSON for this request")]
    public async Task Post_clients_rejects_a_bad_registration_with_400_and_a_clear_error(string body, string error)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/clients", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
        Assert.Single(host.Emulator.GetClients());
    }

    [Fact]
    public async Task Post_clients_takes_redirect_uri_and_redirect_uris_together_and_lists_them_all_once()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/clients", """
            {"client_id":"spa","redirect_uri":"http://localhost:5080/","redirect_uris":["http://localhost:5080/scalar/callback","http://localhost:5080/"]}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            """{"client_id":"spa","redirect_uri":"http://localhost:5080/","redirect_uris":["http://localhost:5080/","http://localhost:5080/scalar/callback"]}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(host.Emulator.TryGetClient("spa", out var client));
        Assert.Equal(["http://localhost:5080/", "http://localhost:5080/scalar/callback"], client.RedirectUris);
    }

    [Fact]
    public async Task Post_clients_refuses_more_than_32_callback_urls()
    {
        await using var host = await StartAsync();
        var uris = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"https://a.example/{i}\""));

        using var response = await PostAsync(host, "/_emulator/clients", $$"""{"client_id":"app","redirect_uris":[{{uris}}]}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Client 'app' has 33 Callback URLs; the emulator keeps at most 32 per client.");
    }

    [Fact]
    public async Task Post_tokens_mints_a_token_that_tokenInfo_answers()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/tokens", """{"client_id":"test-client","scope":"scheduler start_meeting","expires_in":3600}""");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var accessToken = body.RootElement.GetProperty("access_token").GetString()!;
        using var info = await host.TokenInfoAsync(accessToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["access_token", "expires_at"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-28T11:00:00Z", body.RootElement.GetProperty("expires_at").GetString());
        Assert.Matches("^[23456789abcdefghjkmnpqrstuvwxyz]{24}$", accessToken);
        Assert.Equal(
            """{"client_id":"test-client","scope":"scheduler start_meeting","expires_at":"2026-11-28T11:00:00Z"}""",
            await info.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Post_tokens_without_expires_in_uses_the_token_lifetime_setting()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/tokens", """{"client_id":"test-client","scope":""}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("\"expires_at\":\"2026-11-29T10:00:00Z\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"scope":"scheduler"}""", "client_id is required: the API key of a registered client.")]
    [InlineData("""{"client_id":"test-client"}""", "scope is required: space-delimited scope names, or \"\" for a token without scopes.")]
    [InlineData("""{"client_id":"nobody","scope":"scheduler"}""", "The client 'nobody' is not registered with the emulator. Register it first (RegisterClient, the Clients option, or POST /_emulator/clients).")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler meetings"}""", "The scope 'meetings' is not known to the emulator. Known scopes: user_info, scheduler, start_meeting, provisioning.")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler","expires_in":0}""", "expires_in must be a positive number of seconds, at most 315360000; leave it out for the emulator's token lifetime.")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler","expires_in":-5}""", "expires_in must be a positive number of seconds")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler","expires_in":999999999999}""", "expires_in must be a positive number of seconds")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler","expires_in":"3600"}""", "The body is not valid JSON for this request: The JSON value could not be converted")]
    [InlineData("""{"client_id":"test-client","scope":"scheduler","expires_in":1.5}""", "The body is not valid JSON for this request")]
    [InlineData("""{"client_id":"test-client","scope":["scheduler"]}""", "The body is not valid JSON for this request")]
    [InlineData("""{"client_id":"test-client","scopes":"scheduler"}""", "The body is not valid JSON for this request: The JSON property 'scopes' could not be mapped")]
    public async Task Post_tokens_rejects_a_bad_request_with_400_and_a_clear_error(string body, string error)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, "/_emulator/tokens", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Theory]
    [InlineData("/_emulator/clients", "", NotJson)]
    [InlineData("/_emulator/clients", "{", NotJson)]
    [InlineData("/_emulator/clients", "not json", NotJson)]
    [InlineData("/_emulator/clients", "[]", NotJson)]
    [InlineData("/_emulator/clients", "null", "The body must be a JSON object, not null.")]
    [InlineData("/_emulator/tokens", "42", NotJson)]
    [InlineData("/_emulator/tokens", """{"client_id":"test-client","scope":"scheduler"} trailing""", NotJson)]
    [InlineData("/_emulator/tokens", "null", "The body must be a JSON object, not null.")]
    public async Task Post_with_a_body_that_is_not_a_json_object_answers_400_saying_so(string path, string body, string error)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, path, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Theory]
    [InlineData("/_emulator/clients", "text/plain")]
    [InlineData("/_emulator/tokens", "application/x-www-form-urlencoded")]
    public async Task Post_that_is_not_labelled_json_answers_415_so_a_cross_site_page_cannot_send_it_without_a_preflight(string path, string mediaType)
    {
        await using var host = await StartAsync();
        using var content = new StringContent("""{"client_id":"test-client","scope":"scheduler"}""", Encoding.UTF8, mediaType);

        using var response = await host.Client.PostAsync(path, content, TestContext.Current.CancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "The body must be JSON, sent with Content-Type: application/json.");
    }

    [Fact]
    public async Task Delete_token_revokes_it()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        using var response = await host.Client.DeleteAsync($"/_emulator/tokens/{token.AccessToken}", TestContext.Current.CancellationToken);
        using var info = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, info.StatusCode);
    }

    [Fact]
    public async Task Delete_token_answers_404_for_an_unknown_token()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.DeleteAsync("/_emulator/tokens/unknown", TestContext.Current.CancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "The access token is not known to the emulator.");
    }

    [Fact]
    public async Task Get_stats_counts_tokenInfo_calls_since_start()
    {
        await using var host = await StartAsync();
        (await host.TokenInfoAsync("a")).Dispose();
        (await host.TokenInfoAsync("b")).Dispose();

        using var response = await host.Client.GetAsync("/_emulator/stats", TestContext.Current.CancellationToken);

        Assert.Equal("""{"tokenInfoCalls":2}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("""{"mode":"none"}""", JoinMeEmulatorFaultMode.None, 0)]
    [InlineData("""{"mode":"down"}""", JoinMeEmulatorFaultMode.Down, 0)]
    [InlineData("""{"mode":"slow","delay_ms":2500}""", JoinMeEmulatorFaultMode.Slow, 2500)]
    [InlineData("""{"mode":"error","delay_ms":0}""", JoinMeEmulatorFaultMode.Error, 0)]
    [InlineData("""{"mode":"garbage"}""", JoinMeEmulatorFaultMode.Garbage, 0)]
    [InlineData("""{"mode":"ratelimited"}""", JoinMeEmulatorFaultMode.RateLimited, 0)]
    [InlineData("""{"mode":"RateLimited"}""", JoinMeEmulatorFaultMode.RateLimited, 0)]
    public async Task Put_faults_sets_the_fault_and_get_faults_reads_it(string body, JoinMeEmulatorFaultMode mode, int delayMs)
    {
        await using var host = await StartAsync();

        using var response = await SendAsync(host, HttpMethod.Put, "/_emulator/faults", body);
        using var current = await host.Client.GetAsync("/_emulator/faults", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(new JoinMeEmulatorFault(mode, TimeSpan.FromMilliseconds(delayMs)), host.Emulator.Fault);
        Assert.Equal(
            $$"""{"mode":"{{mode.ToString().ToLowerInvariant()}}","delay_ms":{{delayMs}}}""",
            await current.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("""{}""", "mode must be one of \"none\", \"down\", \"slow\", \"error\", \"garbage\", \"ratelimited\"; got nothing.")]
    [InlineData("""{"mode":"broken"}""", "mode must be one of \"none\", \"down\", \"slow\", \"error\", \"garbage\", \"ratelimited\"; got \"broken\".")]
    [InlineData("""{"mode":"slow"}""", "The slow fault needs a positive delay (delay_ms).")]
    [InlineData("""{"mode":"slow","delay_ms":0}""", "The slow fault needs a positive delay (delay_ms).")]
    [InlineData("""{"mode":"slow","delay_ms":-1}""", "delay_ms must be zero or a positive number of milliseconds.")]
    [InlineData("""{"mode":"error","delay_ms":100}""", "A delay (delay_ms) applies to the slow fault only, not to 'error'.")]
    [InlineData("""{"mode":"slow","delay":100}""", "The body is not valid JSON for this request: The JSON property 'delay' could not be mapped")]
    [InlineData("""{"mode":3}""", "The body is not valid JSON for this request")]
    public async Task Put_faults_rejects_a_bad_fault_with_400_and_keeps_the_current_one(string body, string error)
    {
        await using var host = await StartAsync();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Garbage);

        using var response = await SendAsync(host, HttpMethod.Put, "/_emulator/faults", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
        Assert.Equal(JoinMeEmulatorFaultMode.Garbage, host.Emulator.Fault.Mode);
    }

    [Fact]
    public async Task Post_reset_returns_the_emulator_to_its_initial_state()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");
        host.Emulator.RegisterClient("extra", "https://extra.example/");
        (await host.TokenInfoAsync(token.AccessToken)).Dispose();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);

        using var response = await host.Client.PostAsync("/_emulator/reset", null, TestContext.Current.CancellationToken);
        using var info = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, info.StatusCode);
        Assert.Equal([new JoinMeEmulatorClient(ClientId, RedirectUri)], host.Emulator.GetClients());
        Assert.Equal(JoinMeEmulatorFault.None, host.Emulator.Fault);
        Assert.Equal(1, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Admin_api_answers_405_for_a_method_it_does_not_serve()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.DeleteAsync("/_emulator/clients", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(EmulatorHost host, string path, string json) =>
        SendAsync(host, HttpMethod.Post, path, json);

    private static async Task<HttpResponseMessage> SendAsync(EmulatorHost host, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorStart)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        Assert.StartsWith(errorStart, property.Value.GetString(), StringComparison.Ordinal);
    }
}
