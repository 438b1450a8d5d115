namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>Faults make tokenInfo misbehave on cue, and only tokenInfo.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Down_aborts_the_request_without_an_answer()
    {
        await using var host = await StartAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode.Down));

        Assert.Equal("The application aborted the request.", exception.Message);
        Assert.Equal(1, host.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task Down_drops_a_real_loopback_connection_so_the_caller_sees_a_connection_failure()
    {
        await using var host = await StartAsync(kestrel: true);
        var token = host.Emulator.MintToken(ClientId, "scheduler");
        using var client = new HttpClient { BaseAddress = host.KestrelAddress };
        using var before = await client.GetAsync($"{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken);
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Down);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"{TokenInfoPath}?access_token={token.AccessToken}", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
    }

    [Fact]
    public async Task Slow_answers_normally_once_the_delay_has_passed_on_the_emulators_clock()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromSeconds(5));

        var pending = host.TokenInfoAsync(token.AccessToken);
        await WhenTokenInfoCalledAsync(host.Emulator);
        host.Time.Advance(TimeSpan.FromSeconds(4));
        var completedEarly = pending.IsCompleted;
        host.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;

        Assert.False(completedEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"client_id\":\"test-client\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_answers_500()
    {
        await using var host = await StartAsync();

        using var response = await host.TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode.Error);

        await AssertAnswerAsync(response, HttpStatusCode.InternalServerError, """{"Message":"An error has occurred."}""");
    }

    [Fact]
    public async Task Garbage_answers_200_labelled_json_with_a_body_that_is_not_json()
    {
        await using var host = await StartAsync();

        using var response = await host.TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode.Garbage);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Ratelimited_answers_403_with_the_gateways_over_quota_code()
    {
        await using var host = await StartAsync();

        using var response = await host.TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode.RateLimited);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("ERR_403_DEVELOPER_OVER_QPS", response.Headers.GetValues("X-Mashery-Error-Code").Single());
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Fact]
    public async Task None_restores_normal_answers()
    {
        await using var host = await StartAsync();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);

        using var response = await host.TokenInfoUnderFaultAsync(JoinMeEmulatorFaultMode.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JoinMeEmulatorFault.None, host.Emulator.Fault);
    }

    [Theory]
    [MemberData(nameof(FailingFaults), MemberType = typeof(EmulatorHost))]
    public async Task Faults_leave_the_authorize_endpoint_and_the_admin_api_working(JoinMeEmulatorFaultMode mode)
    {
        await using var host = await StartAsync();
        host.Emulator.SetFault(mode);

        var location = await host.AllowAsync(AuthorizeUrl());
        using var stats = await host.Client.GetAsync("/_emulator/stats", TestContext.Current.CancellationToken);

        Assert.Contains("#access_token=", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }
}
