using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JoinMe.Emulator.Tests;

/// <summary>
/// <c>joinme-emulator</c> on its own port: APIs pointed at it (the sample here, two instances of it) validate the tokens its admin
/// API mints and refuse the ones it revoked, and its admin API answers this machine only.
/// </summary>
public sealed class StandaloneEmulatorTests : IClassFixture<StandaloneEmulatorTests.RunningEmulator>
{
    private readonly RunningEmulator _running;

    public StandaloneEmulatorTests(RunningEmulator running)
    {
        _running = running;
    }

    [Fact]
    public async Task The_sample_pointed_at_it_accepts_a_token_its_admin_API_minted_and_refuses_one_it_revoked()
    {
        var live = await MintAsync("scheduler");
        var revoked = await MintAsync("scheduler");
        using var revocation = await _running.Admin.DeleteAsync($"/_emulator/tokens/{revoked}", TestContext.Current.CancellationToken);
        await using var sample = SamplePointedAt(_running.Emulator.Address);
        using var client = sample.CreateClient();

        using var accepted = await GetMeetingsAsync(client, live);
        using var refused = await GetMeetingsAsync(client, revoked);

        Assert.Equal(HttpStatusCode.NoContent, revocation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_API_instances_share_it_and_each_asks_it_about_the_token()
    {
        var token = await MintAsync("scheduler");
        var before = await TokenInfoCallsAsync();
        await using var first = SamplePointedAt(_running.Emulator.Address);
        await using var second = SamplePointedAt(_running.Emulator.Address);

        using var fromFirst = await GetMeetingsAsync(first.CreateClient(), token);
        using var fromSecond = await GetMeetingsAsync(second.CreateClient(), token);

        Assert.Equal(HttpStatusCode.OK, fromFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromSecond.StatusCode);
        Assert.Equal(before + 2, await TokenInfoCallsAsync());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("192.168.1.20")]
    [InlineData("localhost.evil.example")]
    public async Task Its_admin_API_refuses_a_Host_that_is_not_this_machine(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_emulator/tokens")
        {
            Content = new StringContent("""{"client_id":"demo-client","scope":"scheduler"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = $"{host}:{_running.Emulator.Address.Port}";

        using var response = await _running.Admin.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith(
            """{"error":"The emulator\u0027s admin API refuses a Host header that does not name this server""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    private async Task<string> MintAsync(string scope)
    {
        using var response = await _running.Admin.PostAsync(
            "/_emulator/tokens",
            new StringContent($$"""{"client_id":"demo-client","scope":"{{scope}}"}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Minted>(TestContext.Current.CancellationToken))!.access_token;
    }

    private async Task<long> TokenInfoCallsAsync() =>
        (await _running.Admin.GetFromJsonAsync<Stats>("/_emulator/stats", TestContext.Current.CancellationToken))!.tokenInfoCalls;

    /// <summary>
    /// The sample as README.md says to point it at a standalone emulator, with the same settings as its command line (UseSetting:
    /// Program.cs reads them before it builds the app).
    /// </summary>
    private static WebApplicationFactory<Program> SamplePointedAt(Uri emulator) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("Sample:UseEmulator", "false")
            .UseSetting("Authentication:Schemes:JoinMe:Authority", emulator.GetLeftPart(UriPartial.Authority))
            .UseSetting("Authentication:Schemes:JoinMe:RequireHttpsAuthority", "false")
            .UseSetting("Authentication:Schemes:JoinMe:AllowedClientIds:0", "demo-client"));

    private static async Task<HttpResponseMessage> GetMeetingsAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/meetings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

#pragma warning disable IDE1006, CA1812 // JSON shapes of the admin API.
    private sealed record Minted(string access_token);

    private sealed record Stats(long tokenInfoCalls);
#pragma warning restore IDE1006, CA1812

    /// <summary>One <c>joinme-emulator</c> process for the tests of this class, on a free loopback port.</summary>
    public sealed class RunningEmulator : IAsyncLifetime
    {
        private EmulatorProcess? _emulator;

        internal EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

        /// <summary>A client of its admin API, over loopback.</summary>
        public HttpClient Admin { get; private set; } = new();

        public async ValueTask InitializeAsync()
        {
            _emulator = await EmulatorProcess.StartListeningAsync(TestContext.Current.CancellationToken);
            Admin = new HttpClient { BaseAddress = _emulator.Address };
        }

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }
    }
}
