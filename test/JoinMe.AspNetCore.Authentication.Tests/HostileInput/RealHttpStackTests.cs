namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>The sample on Kestrel, over loopback, with the emulator behind tokenInfo, for the hostile requests that a real HTTP stack treats on its own.</summary>
public sealed class KestrelApi : IAsyncDisposable
{
    public KestrelApi()
    {
        Api.Start();
    }

    public TestApi Api { get; } = new TestApi().OnKestrel().UsingEmulator();

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// What happens to hostile header values on the real wire (SocketsHttpHandler to Kestrel, over loopback). Some never reach the
/// handler: the client or the server refuses them first, and these tests say which. Those that do reach it are refused by it.
/// </summary>
public sealed class RealHttpStackTests(KestrelApi kestrel) : IClassFixture<KestrelApi>
{
    private TestApi Api => kestrel.Api;

    [Fact]
    public async Task The_HTTP_client_refuses_to_send_a_non_ASCII_token()
    {
        var calls = Api.TokenInfo.Calls;

        // SocketsHttpHandler's own rule: request header values must be ASCII unless an encoding is chosen.
        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => Api.GetAsync("/api/me", Tokens.New() + "tökén"));

        Assert.Contains("ASCII", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(calls, Api.TokenInfo.Calls);
    }

    /// <summary>Header lines written on the wire as they are ({t} and {u} stand for fresh tokens), and who refuses them.</summary>
    [Theory]
    [InlineData("a NUL: Kestrel refuses it before the app runs", "Authorization: Bearer {t}\0{u}\r\n", 400, null)]
    [InlineData("a 100 KB header: Kestrel refuses it before the app runs", "Authorization: Bearer {t}{100 KB}\r\n", 431, null)]
    [InlineData("a folded header line: Kestrel refuses it before the app runs", "Authorization: Bearer {t}\r\n {u}\r\n", 400, null)]
    [InlineData("a control character: the handler finds it malformed", "Authorization: Bearer {t}\u0001{u}\r\n", 401, Challenges.Malformed)]
    [InlineData("DEL: the handler finds it malformed", "Authorization: Bearer {t}\u007f{u}\r\n", 401, Challenges.Malformed)]
    [InlineData("a tab: the handler finds it malformed", "Authorization: Bearer {t}\t{u}\r\n", 401, Challenges.Malformed)]
    [InlineData("raw UTF-8 letters: the handler finds them malformed", "Authorization: Bearer {t}tökén{u}\r\n", 401, Challenges.Malformed)]
    [InlineData("an escape sequence: the handler finds it malformed", "Authorization: Bearer {t}\u001b[2J{u}\r\n", 401, Challenges.Malformed)]
    [InlineData("two Authorization lines: the handler finds an invalid request", "Authorization: Bearer {t}\r\nAuthorization: Bearer {u}\r\n", 400, Challenges.InvalidRequest)]
    public async Task A_hostile_header_on_the_wire_is_refused_without_a_tokenInfo_call(string what, string headerLines, int status, string? challenge)
    {
        _ = what;
        var calls = Api.TokenInfo.Calls;
        var lines = headerLines.Replace("{t}", Tokens.New(), StringComparison.Ordinal).Replace("{u}", Tokens.New(), StringComparison.Ordinal)
            .Replace("{100 KB}", new string('a', 100 * 1024), StringComparison.Ordinal);

        var response = await SendRawAsync(lines);

        Assert.Equal((status, challenge), (response.Status, response.WwwAuthenticate));
        Assert.Equal(calls, Api.TokenInfo.Calls);
    }

    [Fact]
    public async Task A_CR_LF_in_a_token_cannot_reach_the_server_it_ends_the_header_line()
    {
        var (t, u) = (Tokens.New(), Tokens.New());

        // SocketsHttpHandler writes a value added without validation as it is: over HTTP/1.1 the CR LF ends the Authorization line, and
        // what follows becomes a header of its own. The handler can only ever see the part before the CR, and checks it as any token.
        using var response = await Api.GetAsync("/api/me", $"{t}\r\nX-Injected: {u}");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(Challenges.Invalid, response.WwwAuthenticate());
        Assert.Equal(1, Api.TokenInfo.CallsFor(t));
        Assert.Equal(0, Api.TokenInfo.CallsFor($"{t}\r\nX-Injected: {u}"));
    }

    [Fact]
    public async Task A_live_token_over_the_real_stack_is_accepted()
    {
        using var response = await Api.GetAsync("/api/me", Api.Mint());

        Assert.Equal(200, (int)response.StatusCode);
    }

    /// <summary>Writes a GET /api/me with the given header lines on a fresh loopback connection, and reads the status and challenge.</summary>
    private async Task<RawResponse> SendRawAsync(string headerLines)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Api.Address!.Host, Api.Address.Port, cancellationToken);
        var stream = tcp.GetStream();
        var request = Encoding.UTF8.GetBytes($"GET /api/me HTTP/1.1\r\nHost: localhost\r\n{headerLines}Connection: close\r\n\r\n");
        await stream.WriteAsync(request, cancellationToken);

        using var reader = new StreamReader(stream, Encoding.Latin1);
        var text = await reader.ReadToEndAsync(cancellationToken).WaitAsync(Wait.HangGuard, cancellationToken);
        var lines = text.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        string? Header(string name) => lines.Skip(1).TakeWhile(line => line.Length > 0)
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault();
        return new RawResponse(status, Header("WWW-Authenticate"), Header("Retry-After"));
    }
}
