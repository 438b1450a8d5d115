namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// The admin API mints tokens, so it answers this machine only and no page a browser shows: not another machine, not a Host that
/// names another server (DNS rebinding), not another page's request (another site, or another port of localhost).
/// </summary>
public sealed class AdminGuardTests
{
    private const string NotThisMachine = "The emulator's admin API answers callers on this machine only";
    private const string NotThisServer = "The emulator's admin API refuses a Host header that does not name this server";
    private const string AnotherPage = "The emulator's admin API refuses requests that another page";
    private const string AnotherOrigin = "The emulator's admin API refuses requests whose Origin is not its own.";

    /// <summary>Every endpoint of the admin API, as its method and path.</summary>
    public static TheoryData<string> AdminEndpoints =>
    [
        "GET /_emulator/clients",
        "POST /_emulator/clients",
        "POST /_emulator/tokens",
        "DELETE /_emulator/tokens/abc",
        "GET /_emulator/stats",
        "GET /_emulator/faults",
        "PUT /_emulator/faults",
        "POST /_emulator/reset",
    ];

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Every_admin_endpoint_refuses_a_caller_on_another_machine(string endpoint)
    {
        await using var host = await StartAsync();

        var answer = await SendAsync(host, endpoint, Carrying((RemoteIpAddress, "203.0.113.5")));

        await AssertRefusedAsync(answer, NotThisMachine);
    }

    /// <summary>Resets the guard must refuse, by what gives them away: another machine, a Host naming another server, or another page.</summary>
    public static TheoryData<string, string, string> RefusedResets => new()
    {
        { RemoteIpAddress, "192.168.1.20", NotThisMachine },
        { RemoteIpAddress, "10.0.0.7", NotThisMachine },
        { RemoteIpAddress, "::ffff:192.0.2.1", NotThisMachine },
        { RemoteIpAddress, "2001:db8::1", NotThisMachine },
        { "Host", "evil.example", NotThisServer }, // on an in-memory server
        { "Host", "evil.example:80", NotThisServer },
        { "Host", "192.168.1.20", NotThisServer },
        { "Host", "localhost.evil.example", NotThisServer },
        { "Host", "127.0.0.1.evil.example", NotThisServer },
        { "Sec-Fetch-Site", "cross-site", AnotherPage }, // a request another page made a browser send
        { "Sec-Fetch-Site", "same-site", AnotherPage },
        { "Sec-Fetch-Site", "same-origin, cross-site", AnotherPage },
        { "Origin", "http://localhost:3000", AnotherOrigin },
        { "Origin", "http://evil.example", AnotherOrigin },
        { "Origin", "https://localhost", AnotherOrigin },
        { "Origin", "null", AnotherOrigin },
    };

    [Theory]
    [MemberData(nameof(RefusedResets))]
    public async Task Refuses_a_request_from_another_machine_server_name_or_page_and_does_nothing(string carrying, string value, string reason)
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        var answer = await ResetAsync(host, Carrying((carrying, value)));

        await AssertRefusedAsync(answer, reason);
        await AssertStillLiveAsync(host, token);
    }

    [Theory]
    [InlineData("127.0.0.1", null, null)]
    [InlineData("127.8.9.10", null, null)]
    [InlineData("::1", null, null)]
    [InlineData("::ffff:127.0.0.1", null, null)]
    [InlineData(null, null, null)] // in memory: no remote address
    [InlineData(null, "same-origin", "http://localhost")]
    [InlineData(null, "none", null)] // typed in the address bar
    [InlineData(null, null, "http://LOCALHOST")]
    public async Task Serves_a_caller_on_this_machine_or_in_memory_and_a_page_of_its_own_origin_or_the_address_bar(string? address, string? fetchSite, string? origin)
    {
        await using var host = await StartAsync();

        var answer = await ResetAsync(host, Carrying((RemoteIpAddress, address), ("Sec-Fetch-Site", fetchSite), ("Origin", origin)));

        Assert.Equal(StatusCodes.Status204NoContent, answer.Response.StatusCode);
    }

    [Theory]
    [InlineData("localhost:{port}", true)]
    [InlineData("LOCALHOST:{port}", true)]
    [InlineData("app.localhost:{port}", true)]
    [InlineData("127.0.0.1:{port}", true)]
    [InlineData("[::1]:{port}", true)]
    [InlineData("rebound.example:{port}", false)]
    [InlineData("localhost:{other}", false)]
    [InlineData("127.0.0.1:{other}", false)]
    [InlineData("localhost", false)]
    public async Task Serves_a_Host_that_names_the_listening_server_and_refuses_any_other(string hostTemplate, bool namesTheServer)
    {
        await using var host = await StartAsync(kestrel: true);
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        using var answer = await ResetOverSocketAsync(host, hostTemplate);

        if (namesTheServer)
        {
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }
        else
        {
            await AssertRefusedAsync(answer, NotThisServer);
            await AssertStillLiveAsync(host, token);
        }
    }

    [Fact]
    public async Task A_page_on_a_rebound_DNS_name_cannot_mint_a_token_though_its_browser_calls_the_request_same_origin()
    {
        await using var host = await StartAsync(kestrel: true);
        var rebound = $"rebound.example:{host.KestrelAddress!.Port}";
        using var client = new HttpClient { BaseAddress = host.KestrelAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_emulator/tokens")
        {
            Content = new StringContent("""{"client_id":"test-client","scope":"scheduler"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = rebound;
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", $"http://{rebound}");

        using var answer = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertRefusedAsync(answer, NotThisServer);
    }

    private const string RemoteIpAddress = nameof(ConnectionInfo.RemoteIpAddress);

    /// <summary>Sets each given value on the request: the connection's remote address, the Host, or another header; a null value is left out.</summary>
    private static Action<HttpContext> Carrying(params (string What, string? Value)[] values) => context =>
    {
        foreach (var (what, value) in values.Where(pair => pair.Value is not null))
        {
            switch (what)
            {
                case RemoteIpAddress:
                    context.Connection.RemoteIpAddress = IPAddress.Parse(value!);
                    break;
                case "Host":
                    context.Request.Host = new HostString(value!);
                    break;
                default:
                    context.Request.Headers[what] = value;
                    break;
            }
        }
    };

    private static Task<HttpContext> ResetAsync(EmulatorHost host, Action<HttpContext> configure) =>
        SendAsync(host, "POST /_emulator/reset", configure);

    /// <summary>Sends a request to an <paramref name="endpoint"/> written as its method and path, such as <c>GET /_emulator/stats</c>.</summary>
    private static Task<HttpContext> SendAsync(EmulatorHost host, string endpoint, Action<HttpContext> configure) =>
        host.Server.SendAsync(
            context =>
            {
                var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
                context.Request.Method = method;
                context.Request.Path = path;
                configure(context);
            },
            TestContext.Current.CancellationToken);

    /// <summary>Posts a reset over a real loopback socket with the given Host ({port}: the server's, {other}: another).</summary>
    private static async Task<HttpResponseMessage> ResetOverSocketAsync(EmulatorHost host, string hostTemplate)
    {
        var port = host.KestrelAddress!.Port;
        using var client = new HttpClient { BaseAddress = host.KestrelAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_emulator/reset");
        request.Headers.Host = hostTemplate
            .Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", (port == 65535 ? port - 1 : port + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task AssertRefusedAsync(HttpContext answer, string reason)
    {
        using var body = await JsonDocument.ParseAsync(answer.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(StatusCodes.Status403Forbidden, answer.Response.StatusCode);
        Assert.StartsWith(reason, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage answer, string reason)
    {
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.StartsWith(reason, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The refused reset did not happen: a token minted before it is still live.</summary>
    private static async Task AssertStillLiveAsync(EmulatorHost host, JoinMeEmulatorToken token)
    {
        if (host.KestrelAddress is null)
        {
            using var info = await host.TokenInfoAsync(token.AccessToken);
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        }
        else
        {
            Assert.Single(host.Emulator.GetClients());
            Assert.Equal(TokenState.Live, host.Emulator.Inspect(token.AccessToken, out _));
        }
    }
}
