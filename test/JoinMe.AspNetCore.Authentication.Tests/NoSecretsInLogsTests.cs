namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>At Trace level, across every outcome, no log line carries a token, its SHA-256 hash, or tokenInfo's body.</summary>
public sealed class NoSecretsInLogsTests
{
    private const string BodyMarker = "tokeninfo-body-marker-5f1c";

    [Fact]
    public async Task No_log_line_at_Trace_level_contains_a_token_or_its_hash_whatever_the_outcome()
    {
        await using var api = new TestApi().CaptureLogsAt(LogLevel.Trace);
        var tokens = new Dictionary<string, string>();
        string TokenFor(string scenario) => tokens[scenario] = Tokens.New() + Tokens.New();
        api.TokenInfo.Answers((token, now) => tokens.Single(pair => pair.Value == token).Key switch
        {
            "valid" or "cached" => TokenInfoReply.Json($$"""{"client_id":"demo-client","scope":"user_info","expires_at":"{{TokenInfoReply.Iso(now.AddHours(1))}}","note":"{{BodyMarker}} {{token}}"}"""),
            "another client" => TokenInfoReply.Valid(now.AddHours(1), clientId: "someone-else"),
            "expired" => TokenInfoReply.Valid(now.AddHours(-1)),
            "stale" => TokenInfoReply.Of(401, $$"""{"Message":"{{BodyMarker}} token {{token}} is stale","ErrorCode":"stale_token"}"""),
            "rate limited" => TokenInfoReply.Of(403, BodyMarker, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_QPS")),
            "server error" => TokenInfoReply.Of(500, $"{BodyMarker} {token}"),
            "not JSON" => TokenInfoReply.Json($"<html>{BodyMarker} {token}</html>"),
            "connection fails" => TokenInfoReply.Throwing(() => new HttpRequestException($"Connection refused: https://secure.join.me/api/public/v1/auth/tokenInfo?access_token={token}")),
            var other => throw new InvalidOperationException($"No script for {other}."),
        });

        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["valid"] = HttpStatusCode.OK,
            ["another client"] = HttpStatusCode.Unauthorized,
            ["expired"] = HttpStatusCode.Unauthorized,
            ["stale"] = HttpStatusCode.Unauthorized,
            ["rate limited"] = HttpStatusCode.ServiceUnavailable,
            ["server error"] = HttpStatusCode.ServiceUnavailable,
            ["not JSON"] = HttpStatusCode.ServiceUnavailable,
            ["connection fails"] = HttpStatusCode.ServiceUnavailable,
        };
        foreach (var (scenario, status) in expected)
        {
            using var response = await api.GetAsync("/api/me", TokenFor(scenario));
            Assert.Equal(status, response.StatusCode);
        }

        var cached = TokenFor("cached");
        (await api.GetAsync("/api/me", cached)).Dispose();
        (await api.GetAsync("/api/me", cached)).Dispose();
        (await api.GetAsync("/api/meetings", cached)).Dispose();
        (await api.SendAsync(HttpMethod.Get, "/api/me", "Bearer " + TokenFor("malformed") + " " + tokens["malformed"])).Dispose();
        (await api.GetAsync("/api/me", TokenFor("too long") + new string('x', 1024))).Dispose();
        await TimeOutAsync(api, TokenFor("timeout"));

        AssertNoSecrets(api, tokens.Values);
        var events = api.Logs.GetSnapshot().Select(log => log.Id.Name).ToHashSet();
        Assert.Superset(new HashSet<string?> { "TokenNotAccepted", "TokenInfoCallFailed", "TokenInfoUnavailable", "InsufficientScope" }, events);
    }

    [Fact]
    public async Task No_log_line_but_ASP_NET_Core_s_request_line_contains_a_token_taken_from_the_query()
    {
        await using var api = new TestApi()
            .CaptureLogsAt(LogLevel.Trace)
            .Configure(options => options.AcceptTokenFromQuery = true);
        var token = Tokens.New() + Tokens.New();

        (await api.GetAsync($"/api/me?access_token={token}")).Dispose();
        api.TokenInfo.Answers(TokenInfoReply.Of(401));
        (await api.GetAsync($"/api/me?access_token={token}x")).Dispose();

        // ASP.NET Core's own "Request starting" line logs the whole URL, query included: one more reason tokens belong in the header.
        AssertNoSecrets(api, [token, token + "x"], where => !where.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal));
        Assert.Contains(api.Logs.GetSnapshot(), log => log.Category?.StartsWith("JoinMe.", StringComparison.Ordinal) == true);
    }

    private static async Task TimeOutAsync(TestApi api, string token)
    {
        api.TokenInfo.Hangs();
        var callsBefore = api.TokenInfo.Calls;
        var pending = api.GetAsync("/api/me", token);
        await api.TokenInfo.WhenCallsArrived(callsBefore + 1);
        api.Time.Advance(TimeSpan.FromSeconds(5));
        using var response = await pending;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static void AssertNoSecrets(TestApi api, IEnumerable<string> tokens, Func<string, bool>? where = null)
    {
        var texts = api.Texts.Where(text => where?.Invoke(text.Where) ?? true).ToList();
        Assert.NotEmpty(texts);
        Tokens.AssertNoneLeaked(tokens, texts);
        Assert.DoesNotContain(texts, text => text.Text.Contains(BodyMarker, StringComparison.Ordinal));
    }
}
