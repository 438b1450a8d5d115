using System.Net;
using System.Security.Cryptography;
using System.Text;
using JoinMe.AspNetCore.Authentication.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>At Trace level, across every outcome, no log line carries a token, its SHA-256 hash, or tokenInfo's body.</summary>
public sealed class NoSecretsInLogsTests
{
    private const string BodyMarker = "tokeninfo-body-marker-5f1c";

    [Fact]
    public async Task No_log_line_at_Trace_level_contains_a_token_or_its_hash_whatever_the_outcome()
    {
        await using var api = new TestApi()
            .CaptureLogsAt(LogLevel.Trace)
            .Configure(options => options.Events.OnTokenInfoReceived = context =>
                context.TokenInfo.Scopes.Contains("explode") ? throw new InvalidOperationException("The event failed.") : Task.CompletedTask);
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
            "event throws" => TokenInfoReply.Valid(now.AddHours(1), "explode"),
            "connection fails" => throw new HttpRequestException($"Connection refused: https://secure.join.me/api/public/v1/auth/tokenInfo?access_token={token}"),
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
            ["event throws"] = HttpStatusCode.ServiceUnavailable,
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

        AssertNoSecrets(api.Logs.Lines, tokens.Values);
        Assert.Contains(api.Logs.Lines, line => line.EventId.Name == "TokenNotAccepted");
        Assert.Contains(api.Logs.Lines, line => line.EventId.Name == "TokenInfoCallCrashed");
        Assert.Contains(api.Logs.Lines, line => line.EventId.Name == "InsufficientScope");
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
        var otherLines = api.Logs.Lines.Where(line => line.Category != "Microsoft.AspNetCore.Hosting.Diagnostics");
        AssertNoSecrets(otherLines, [token, token + "x"]);
        Assert.Contains(otherLines, line => line.Category.StartsWith("JoinMe.", StringComparison.Ordinal));
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

    private static void AssertNoSecrets(IEnumerable<LogLine> lines, IEnumerable<string> tokens)
    {
        var lineList = lines.ToList();
        Assert.NotEmpty(lineList);
        foreach (var token in tokens)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            string[] secrets = [token, Convert.ToHexString(hash), Convert.ToBase64String(hash), Uri.EscapeDataString(token)];
            foreach (var line in lineList)
            {
                foreach (var secret in secrets)
                {
                    Assert.False(
                        line.Text.Contains(secret, StringComparison.OrdinalIgnoreCase),
                        $"A log line of {line.Category} ({line.EventId}) carries a token or its hash: {line.Text}");
                }

                Assert.DoesNotContain(BodyMarker, line.Text, StringComparison.Ordinal);
            }
        }
    }
}
