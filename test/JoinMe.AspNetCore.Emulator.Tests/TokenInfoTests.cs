namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>tokenInfo answers for live, expired, revoked, unknown and missing tokens, in the configured styles.</summary>
public sealed class TokenInfoTests
{
    [Fact]
    public async Task TokenInfo_answers_client_id_scope_and_expires_at_for_a_live_token()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler start_meeting");

        using var response = await host.TokenInfoAsync(token.AccessToken);

        await AssertAnswerAsync(response, HttpStatusCode.OK, """{"client_id":"test-client","scope":"scheduler start_meeting","expires_at":"2026-11-29T10:00:00Z"}""");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task TokenInfo_answers_an_empty_scope_for_a_token_without_scopes()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "");

        using var response = await host.TokenInfoAsync(token.AccessToken);

        Assert.Contains("\"scope\":\"\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenInfo_answers_a_token_until_the_last_moment_of_its_lifetime_and_rejects_it_from_then_on()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        host.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromTicks(1));
        using var justAlive = await host.TokenInfoAsync(token.AccessToken);
        host.Time.Advance(TimeSpan.FromTicks(1));
        using var expired = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, justAlive.StatusCode);
        await AssertAnswerAsync(expired, HttpStatusCode.Unauthorized, """{"Message":"The access token has expired.","ErrorCode":"stale_token"}""");
    }

    [Fact]
    public async Task TokenInfo_rejects_a_revoked_token_at_once_by_default()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        Assert.True(host.Emulator.RevokeToken(token.AccessToken));
        using var response = await host.TokenInfoAsync(token.AccessToken);

        await AssertAnswerAsync(response, HttpStatusCode.Unauthorized, """{"Message":"The access token has been revoked.","ErrorCode":"stale_token"}""");
    }

    [Fact]
    public async Task TokenInfo_keeps_answering_a_revoked_token_until_the_revocation_delay_has_passed()
    {
        await using var host = await StartAsync(options => options.RevocationDelay = TimeSpan.FromMinutes(10));
        var token = host.Emulator.MintToken(ClientId, "scheduler");
        host.Emulator.RevokeToken(token.AccessToken);

        host.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        using var stillLive = await host.TokenInfoAsync(token.AccessToken);
        host.Emulator.RevokeToken(token.AccessToken);
        host.Time.Advance(TimeSpan.FromTicks(1));
        using var revoked = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("has been revoked", await revoked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenInfo_rejects_an_unknown_token_as_invalid()
    {
        await using var host = await StartAsync();

        using var response = await host.TokenInfoAsync("abcdefghjkmnpqrstuvwxyz2");

        await AssertAnswerAsync(response, HttpStatusCode.Unauthorized, """{"Message":"The access token is not valid.","ErrorCode":"invalid_token"}""");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?access_token=")]
    [InlineData("?token=abc")]
    [InlineData("?access_token=a&access_token=b")]
    public async Task TokenInfo_answers_400_without_exactly_one_token(string query)
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync(TokenInfoPath + query, TestContext.Current.CancellationToken);

        await AssertAnswerAsync(
            response, HttpStatusCode.BadRequest, """{"Message":"The request must carry exactly one non-empty access_token query parameter.","ErrorCode":"invalid_request"}""");
    }

    [Fact]
    public async Task TokenInfo_decodes_a_percent_encoded_token()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");
        var encoded = string.Concat(token.AccessToken.Select(c => $"%{(int)c:X2}"));

        using var response = await host.Client.GetAsync($"{TokenInfoPath}?access_token={encoded}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Gateway_style_answers_403_with_the_gateway_headers_for_unknown_expired_and_revoked_tokens()
    {
        await using var host = await StartAsync(options => options.InvalidTokenResponse = JoinMeInvalidTokenResponse.GatewayForbidden);
        var expired = host.Emulator.MintToken(ClientId, "scheduler", TimeSpan.FromMinutes(1));
        var revoked = host.Emulator.MintToken(ClientId, "scheduler");
        host.Emulator.RevokeToken(revoked.AccessToken);
        host.Time.Advance(TimeSpan.FromMinutes(1));

        foreach (var accessToken in new[] { "unknownunknownunknown234", expired.AccessToken, revoked.AccessToken })
        {
            using var response = await host.TokenInfoAsync(accessToken);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Bearer realm=\"api.join.me\", error=\"invalid_token\"", response.Headers.GetValues("WWW-Authenticate").Single());
            Assert.Equal("ERR_403_NOT_AUTHORIZED", response.Headers.GetValues("X-Mashery-Error-Code").Single());
            Assert.Equal("<h1>Not Authorized</h1>", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Gateway_style_still_answers_a_live_token_with_200()
    {
        await using var host = await StartAsync(options => options.InvalidTokenResponse = JoinMeInvalidTokenResponse.GatewayForbidden);
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        using var response = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The token lives a day from 750 ms after the start: 2026-11-29T10:00:00.750Z.
    [Theory]
    [InlineData(JoinMeExpiresAtFormat.Iso8601Utc, "\"2026-11-29T10:00:00Z\"")] // to the second, with a Z
    [InlineData(JoinMeExpiresAtFormat.UnixSeconds, "1795946400")]
    [InlineData(JoinMeExpiresAtFormat.UnixMilliseconds, "1795946400750")]
    public async Task Expires_at_is_written_in_the_configured_format(JoinMeExpiresAtFormat format, string expiresAt)
    {
        await using var host = await StartAsync(options => options.ExpiresAtFormat = format);
        host.Time.Advance(TimeSpan.FromMilliseconds(750));
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        using var response = await host.TokenInfoAsync(token.AccessToken);

        await AssertAnswerAsync(response, HttpStatusCode.OK, $$"""{"client_id":"test-client","scope":"scheduler","expires_at":{{expiresAt}}}""");
    }

    [Fact]
    public async Task Token_lifetime_setting_sets_both_expires_in_and_expires_at()
    {
        await using var host = await StartAsync(options => options.TokenLifetime = TimeSpan.FromHours(2));

        var location = await host.AllowAsync(AuthorizeUrl());
        var fragment = Fragment.Parse(location);
        using var response = await host.TokenInfoAsync(fragment["access_token"]);

        Assert.Equal("120", fragment["expires_in"]);
        Assert.Contains("\"expires_at\":\"2026-11-28T12:00:00Z\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expires_in_can_be_in_seconds()
    {
        await using var host = await StartAsync(options => options.ExpiresInUnit = JoinMeExpiresInUnit.Seconds);

        var location = await host.AllowAsync(AuthorizeUrl());

        Assert.Equal("86400", Fragment.Parse(location)["expires_in"]);
    }

    [Fact]
    public async Task A_minted_lifetime_overrides_the_setting()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler", TimeSpan.FromSeconds(90));

        host.Time.Advance(TimeSpan.FromSeconds(89));
        using var live = await host.TokenInfoAsync(token.AccessToken);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await host.TokenInfoAsync(token.AccessToken);

        Assert.Equal(Start.AddSeconds(90), token.ExpiresAt);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Every_tokenInfo_call_counts_whatever_its_outcome()
    {
        await using var host = await StartAsync();
        var token = host.Emulator.MintToken(ClientId, "scheduler");

        (await host.TokenInfoAsync(token.AccessToken)).Dispose();
        (await host.TokenInfoAsync("unknown")).Dispose();
        (await host.Client.GetAsync(TokenInfoPath, TestContext.Current.CancellationToken)).Dispose();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        (await host.TokenInfoAsync(token.AccessToken)).Dispose();

        Assert.Equal(4, host.Emulator.GetStats().TokenInfoCalls);
    }
}
