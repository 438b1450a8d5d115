using System.Net.Sockets;
using System.Text;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>The sample on Kestrel, over loopback, for the hostile requests that a real HTTP stack treats on its own.</summary>
public sealed class KestrelHost : IAsyncLifetime
{
    internal SampleHost Host { get; private set; } = null!;

    internal Uri Address { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Host = new SampleHost(kestrel: true);
        Address = Host.Address!;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// What happens to hostile header values on the real wire (SocketsHttpHandler to Kestrel, over loopback). Some never reach the
/// handler: the client or the server refuses them first, and these tests say which. Those that do reach it are refused by it.
/// </summary>
public sealed class RealHttpStackTests(KestrelHost kestrel) : IClassFixture<KestrelHost>
{
    private SampleHost Host => kestrel.Host;

    [Fact]
    public async Task The_HTTP_client_refuses_to_send_a_non_ASCII_token()
    {
        var calls = Host.Edge.Calls;

        // SocketsHttpHandler's own rule: request header values must be ASCII unless an encoding is chosen.
        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => Host.GetAsync(Tokens.New() + "tökén"));

        Assert.Contains("ASCII", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Fact]
    public async Task Kestrel_refuses_a_NUL_in_the_header_before_the_app_runs()
    {
        var calls = Host.Edge.Calls;

        var response = await SendRawAsync($"Authorization: Bearer {Tokens.New()}\0{Tokens.New()}\r\n");

        Assert.Equal(400, response.Status);
        Assert.Null(response.WwwAuthenticate);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Fact]
    public async Task Kestrel_refuses_a_100_KB_header_before_the_app_runs()
    {
        var calls = Host.Edge.Calls;

        var response = await SendRawAsync($"Authorization: Bearer {Tokens.New()}{new string('a', 100 * 1024)}\r\n");

        Assert.Equal(431, response.Status);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Fact]
    public async Task Kestrel_refuses_a_folded_header_line_before_the_app_runs()
    {
        var calls = Host.Edge.Calls;

        var response = await SendRawAsync($"Authorization: Bearer {Tokens.New()}\r\n {Tokens.New()}\r\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Theory]
    [InlineData("a control character", "\u0001")]
    [InlineData("DEL", "\u007f")]
    [InlineData("a tab", "\t")]
    [InlineData("raw UTF-8 letters", "tökén")]
    [InlineData("an escape sequence", "\u001b[2J")]
    public async Task A_hostile_token_that_Kestrel_lets_through_is_refused_as_malformed_without_a_call(string what, string inside)
    {
        _ = what;
        var calls = Host.Edge.Calls;

        var response = await SendRawAsync($"Authorization: Bearer {Tokens.New()}{inside}{Tokens.New()}\r\n");

        Assert.Equal(401, response.Status);
        Assert.Equal(Challenges.Malformed, response.WwwAuthenticate);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Fact]
    public async Task Two_Authorization_header_lines_on_the_wire_are_an_invalid_request()
    {
        var calls = Host.Edge.Calls;

        var response = await SendRawAsync($"Authorization: Bearer {Tokens.New()}\r\nAuthorization: Bearer {Tokens.New()}\r\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(Challenges.InvalidRequest, response.WwwAuthenticate);
        Assert.Equal(calls, Host.Edge.Calls);
    }

    [Fact]
    public async Task A_CR_LF_in_a_token_cannot_reach_the_server_it_ends_the_header_line()
    {
        var (t, u) = (Tokens.New(), Tokens.New());

        // SocketsHttpHandler writes a value added without validation as it is: over HTTP/1.1 the CR LF ends the Authorization line, and
        // what follows becomes a header of its own. The handler can only ever see the part before the CR, and checks it as any token.
        using var response = await Host.GetAsync($"{t}\r\nX-Injected: {u}");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(Challenges.Invalid, response.WwwAuthenticate());
        Assert.Equal(1, Host.Edge.CallsFor(t));
        Assert.Equal(0, Host.Edge.CallsFor($"{t}\r\nX-Injected: {u}"));
    }

    [Fact]
    public async Task A_live_token_over_the_real_stack_is_accepted()
    {
        using var response = await Host.GetAsync(Host.Mint());

        Assert.Equal(200, (int)response.StatusCode);
    }

    /// <summary>Writes a GET /api/me with the given header lines on a fresh loopback connection, and reads the status and challenge.</summary>
    private async Task<RawResponse> SendRawAsync(string headerLines)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(kestrel.Address.Host, kestrel.Address.Port, cancellationToken);
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
