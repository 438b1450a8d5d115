namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// The emulator served over HTTP by a small in-memory app (TestServer), on a fake clock, with one
/// client registered.
/// </summary>
internal sealed partial class EmulatorHost : IAsyncDisposable
{
    public const string ClientId = "test-client";
    public const string RedirectUri = "https://app.example/callback";
    public const string AuthorizePath = "/api/public/v1/auth/oauth2";
    public const string TokenInfoPath = "/api/public/v1/auth/tokenInfo";

    /// <summary>When every test's clock starts: 2026-11-28T10:00:00Z.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Emulator = app.Services.GetRequiredService<JoinMeEmulator>();
        Client = app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>() is TestServer server
            ? server.CreateClient()
            : new HttpClient();
    }

    public JoinMeEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The in-memory server, when the host was started without Kestrel.</summary>
    public TestServer Server => (TestServer)_app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();

    /// <summary>An HTTP client of the app; it follows no redirect and keeps no cookie.</summary>
    public HttpClient Client { get; }

    /// <summary>The loopback address Kestrel listens on, when the host was started with <c>kestrel: true</c>.</summary>
    public Uri? KestrelAddress { get; private init; }

    /// <summary>Starts the emulator on TestServer, or on Kestrel on a free loopback port.</summary>
    public static async Task<EmulatorHost> StartAsync(Action<JoinMeEmulatorOptions>? configure = null, bool kestrel = false)
    {
        var time = new FakeTimeProvider(Start);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        if (kestrel)
        {
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddJoinMeEmulator(options =>
        {
            options.Clients.Add(new JoinMeEmulatorClient(ClientId, RedirectUri));
            configure?.Invoke(options);
        });

        var app = builder.Build();
        app.MapJoinMeEmulator();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return kestrel
            ? new EmulatorHost(app, time) { KestrelAddress = new Uri(app.Urls.Single()) }
            : new EmulatorHost(app, time);
    }

    /// <summary>The authorize URL for the registered client, with every value percent-encoded.</summary>
    public static string AuthorizeUrl(string scope = "scheduler start_meeting", string? state = null, string clientId = ClientId, string redirectUri = RedirectUri)
    {
        var url = $"{AuthorizePath}?response_type=token&client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirectUri)}&scope={Uri.EscapeDataString(scope)}";
        return state is null ? url : $"{url}&state={Uri.EscapeDataString(state)}";
    }

    /// <summary>Opens the consent page and returns it with its ticket and the browser cookie it set.</summary>
    public async Task<ConsentPage> OpenConsentAsync(string url)
    {
        using var response = await Client.GetAsync(url, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the consent page, got {(int)response.StatusCode}: {html}");
        var ticket = TicketField().Match(html).Groups[1].Value;
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        return new ConsentPage(html, ticket, cookie, setCookie);
    }

    /// <summary>Posts the consent form as the browser would.</summary>
    public async Task<HttpResponseMessage> AnswerConsentAsync(ConsentPage page, string decision, string? cookie = null, string? ticket = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AuthorizePath)
        {
            Content = new FormUrlEncodedContent([new("ticket", ticket ?? page.Ticket), new("decision", decision)]),
        };
        request.Headers.Add("Cookie", cookie ?? page.Cookie);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Walks the whole flow to Allow and returns the redirect's Location.</summary>
    public async Task<string> AllowAsync(string url)
    {
        var page = await OpenConsentAsync(url);
        using var response = await AnswerConsentAsync(page, "allow");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public Task<HttpResponseMessage> TokenInfoAsync(string accessToken) =>
        Client.GetAsync($"{TokenInfoPath}?access_token={Uri.EscapeDataString(accessToken)}", TestContext.Current.CancellationToken);

    /// <summary>Mints a token for the registered client, sets <paramref name="fault"/>, and asks tokenInfo about the token.</summary>
    public Task<HttpResponseMessage> TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode fault)
    {
        var token = Emulator.MintToken(ClientId, "scheduler");
        Emulator.SetFault(fault);
        return TokenInfoAsync(token.AccessToken);
    }

    /// <summary>The faults that make tokenInfo fail (every mode but none and slow).</summary>
    public static TheoryData<JoinMeEmulatorFaultMode> FailingFaults =>
        [JoinMeEmulatorFaultMode.Down, JoinMeEmulatorFaultMode.Error, JoinMeEmulatorFaultMode.Garbage, JoinMeEmulatorFaultMode.RateLimited];

    /// <summary>The response has <paramref name="status"/> and exactly <paramref name="body"/>.</summary>
    public static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Waits until <paramref name="emulator"/> has counted <paramref name="calls"/> tokenInfo calls: a slow answer's timer is set by then, so the test
    /// may move the fake clock. Polls without blocking a thread, and gives up only after a guard that a hang, not a busy machine, reaches.
    /// </summary>
    public static async Task WhenTokenInfoCalledAsync(JoinMeEmulator emulator, int calls = 1)
    {
        var guard = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (emulator.GetStats().TokenInfoCalls < calls)
        {
            Assert.True(DateTime.UtcNow < guard, $"Gave up waiting for {calls} tokenInfo call(s).");
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("name=\"ticket\" value=\"([^\"]+)\"")]
    private static partial Regex TicketField();
}

/// <summary>A consent page as the browser got it.</summary>
internal sealed record ConsentPage(string Html, string Ticket, string Cookie, string SetCookie);
