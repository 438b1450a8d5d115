namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The in-memory backchannel answers tokenInfo exactly as the HTTP endpoint does.</summary>
public sealed class BackchannelTests
{
    private static readonly string[] ComparedHeaders = ["Cache-Control", "WWW-Authenticate", "X-Mashery-Error-Code", "Retry-After"];

    public static TheoryData<string> Scenarios =>
    [
        "live", "live-unix-seconds", "live-unix-milliseconds", "unknown", "expired", "revoked", "missing", "twice",
        "unknown-gateway", "revoked-gateway", "fault-error", "fault-garbage", "fault-ratelimited",
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Backchannel_answers_status_headers_and_body_exactly_like_the_http_endpoint(string scenario)
    {
        await using var host = await StartAsync(options =>
        {
            options.ExpiresAtFormat = scenario switch
            {
                "live-unix-seconds" => JoinMeExpiresAtFormat.UnixSeconds,
                "live-unix-milliseconds" => JoinMeExpiresAtFormat.UnixMilliseconds,
                _ => JoinMeExpiresAtFormat.Iso8601Utc,
            };
            if (scenario.EndsWith("-gateway", StringComparison.Ordinal))
            {
                options.InvalidTokenResponse = JoinMeInvalidTokenResponse.GatewayForbidden;
            }
        });
        var live = host.Emulator.MintToken(ClientId, "scheduler user_info");
        var expired = host.Emulator.MintToken(ClientId, "scheduler", TimeSpan.FromMinutes(5));
        var revoked = host.Emulator.MintToken(ClientId, "scheduler");
        host.Emulator.RevokeToken(revoked.AccessToken);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        host.Emulator.SetFault(scenario switch
        {
            "fault-error" => JoinMeEmulatorFaultMode.Error,
            "fault-garbage" => JoinMeEmulatorFaultMode.Garbage,
            "fault-ratelimited" => JoinMeEmulatorFaultMode.RateLimited,
            _ => JoinMeEmulatorFaultMode.None,
        });
        var query = scenario switch
        {
            "missing" => "",
            "twice" => $"?access_token={live.AccessToken}&access_token={live.AccessToken}",
            "unknown" or "unknown-gateway" => "?access_token=unknownunknownunknown234",
            "expired" => $"?access_token={expired.AccessToken}",
            "revoked" or "revoked-gateway" => $"?access_token={revoked.AccessToken}",
            _ => $"?access_token={live.AccessToken}",
        };
        using var backchannel = new HttpClient(host.Emulator.CreateBackchannelHandler());

        using var overHttp = await host.Client.GetAsync(TokenInfoPath + query, TestContext.Current.CancellationToken);
        using var inMemory = await backchannel.GetAsync($"http://localhost{TokenInfoPath}{query}", TestContext.Current.CancellationToken);

        Assert.Equal(overHttp.StatusCode, inMemory.StatusCode);
        Assert.Equal(overHttp.Content.Headers.ContentType, inMemory.Content.Headers.ContentType);
        Assert.Equal(overHttp.Content.Headers.ContentLength, inMemory.Content.Headers.ContentLength);
        Assert.Equal(
            await overHttp.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken),
            await inMemory.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        foreach (var name in ComparedHeaders)
        {
            Assert.Equal(
                overHttp.Headers.TryGetValues(name, out var http) ? string.Join(", ", http) : null,
                inMemory.Headers.TryGetValues(name, out var memory) ? string.Join(", ", memory) : null);
        }

        Assert.Equal(2, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:5123")]
    [InlineData("https://LOCALHOST")]
    [InlineData("http://app.localhost:8080")]
    [InlineData("http://127.0.0.1:5090")]
    [InlineData("http://127.1.2.3")]
    [InlineData("http://[::1]:5090")]
    [InlineData("http://[::ffff:127.0.0.1]")]
    public async Task Backchannel_answers_any_authority_on_this_machine(string authority)
    {
        var emulator = new JoinMeEmulator();
        emulator.RegisterClient("app", "https://app.example/");
        var token = emulator.MintToken("app", "scheduler");
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());

        using var response = await backchannel.GetAsync($"{authority}{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri($"{authority}{TokenInfoPath}?access_token={token.AccessToken}"), response.RequestMessage!.RequestUri);
    }

    [Theory]
    [InlineData("https://secure.join.me", "secure.join.me")]
    [InlineData("https://api.example.com:8443", "api.example.com")]
    [InlineData("http://localhost.example.com", "localhost.example.com")]
    [InlineData("http://127.0.0.1.nip.io", "127.0.0.1.nip.io")]
    [InlineData("http://10.0.0.7", "10.0.0.7")]
    [InlineData("http://[2001:db8::1]", "[2001:db8::1]")]
    public async Task Backchannel_refuses_a_real_host_as_a_connection_failure_and_never_answers_it(string authority, string host)
    {
        var emulator = new JoinMeEmulator();
        emulator.RegisterClient("app", "https://app.example/");
        var token = emulator.MintToken("app", "scheduler");
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => backchannel.GetAsync($"{authority}{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken));

        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
        Assert.StartsWith($"The join.me emulator's backchannel refuses to answer for '{host}', which is not this machine", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.AccessToken, exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Backchannel_of_an_emulator_whose_options_opt_in_answers_a_real_host()
    {
        var emulator = new JoinMeEmulator(new JoinMeEmulatorOptions { UnsafeAllowOutsideDevelopment = true });
        emulator.RegisterClient("app", "https://app.example/");
        var token = emulator.MintToken("app", "scheduler");
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());

        using var response = await backchannel.GetAsync($"https://secure.join.me{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Backchannel_throws_a_connection_error_when_the_emulator_is_down()
    {
        var emulator = new JoinMeEmulator();
        emulator.SetFault(JoinMeEmulatorFaultMode.Down);
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => backchannel.GetAsync($"http://localhost{TokenInfoPath}?access_token=abc", TestContext.Current.CancellationToken));

        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
        Assert.Equal(1, emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Backchannel_answers_a_slow_request_only_once_the_delay_has_passed_on_the_emulators_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var emulator = new JoinMeEmulator(timeProvider: time);
        emulator.RegisterClient("app", "https://app.example/");
        var token = emulator.MintToken("app", "scheduler");
        emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromSeconds(30));
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler()) { Timeout = Timeout.InfiniteTimeSpan };

        var pending = backchannel.GetAsync($"http://localhost{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken);
        await WhenTokenInfoCalledAsync(emulator);
        time.Advance(TimeSpan.FromSeconds(29));
        var completedEarly = pending.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;

        Assert.False(completedEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Backchannel_gives_up_a_slow_request_when_the_caller_cancels()
    {
        var emulator = new JoinMeEmulator(timeProvider: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using var cancellation = new CancellationTokenSource();

        var pending = backchannel.GetAsync($"http://localhost{TokenInfoPath}?access_token=abc", cancellation.Token);
        await WhenTokenInfoCalledAsync(emulator);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task Backchannel_answers_404_for_another_path_and_405_for_another_method_without_counting_them()
    {
        var emulator = new JoinMeEmulator();
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());

        using var otherPath = await backchannel.GetAsync("http://localhost/api/public/v1/auth/token", TestContext.Current.CancellationToken);
        using var otherMethod = await backchannel.PostAsync($"http://localhost{TokenInfoPath}?access_token=abc", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, otherPath.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, otherMethod.StatusCode);
        Assert.Equal(0, emulator.GetStats().TokenInfoCalls);
    }
}
