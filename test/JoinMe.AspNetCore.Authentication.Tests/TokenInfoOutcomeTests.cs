namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>Every row of docs/join.me.md's tokenInfo table: what join.me answers, what the API answers, and what is cached.</summary>
public sealed class TokenInfoOutcomeTests
{
    [Fact]
    public async Task Accepts_a_token_of_an_allowed_client_that_has_not_expired()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), "user_info scheduler"));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"client_id":"demo-client","scopes":["user_info","scheduler"],"expires_at":"2026-03-01T13:00:00.0000000Z"}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(response.WwwAuthenticate());
    }

    [Fact]
    public async Task Calls_tokenInfo_at_the_authority_with_the_token_percent_encoded_in_the_query()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/me", "a+b/c~d.e-f_g==");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(api.TokenInfo.Requests);
        Assert.Equal("https://secure.join.me/api/public/v1/auth/tokenInfo?access_token=a%2Bb%2Fc~d.e-f_g%3D%3D", call.Uri.AbsoluteUri);
        Assert.Equal("a+b/c~d.e-f_g==", call.Token);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Contains("Accept: application/json", call.Headers, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", call.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("a+b", call.Headers, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3600, "someone-else", Challenges.Invalid)] // issued to another client
    [InlineData(-60, TokenInfoReply.AllowedClientId, Challenges.Expired)] // its expires_at has passed
    [InlineData(30, TokenInfoReply.AllowedClientId, Challenges.Expired)] // it expires within the clock skew
    public async Task Rejects_with_401_a_token_of_another_client_or_whose_expiry_has_passed_or_falls_within_the_clock_skew(int expiresInSeconds, string clientId, string challenge)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddSeconds(expiresInSeconds), clientId: clientId));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.WwwAuthenticate());
    }

    [Theory]
    [InlineData("""{"scope":"user_info","expires_at":"2026-03-01T13:00:00Z"}""")]
    [InlineData("""{"client_id":null,"scope":"user_info","expires_at":"2026-03-01T13:00:00Z"}""")]
    [InlineData("""{"client_id":"","scope":"user_info","expires_at":"2026-03-01T13:00:00Z"}""")]
    [InlineData("""{"client_id":"DEMO-CLIENT","scope":"user_info","expires_at":"2026-03-01T13:00:00Z"}""")]
    public async Task Rejects_an_answer_without_an_allowed_client_id_with_401_invalid_token(string body)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json(body));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenges.Invalid, response.WwwAuthenticate());
    }

    public static TheoryData<string> Rejections => new()
    {
        "400", "401", "404", "401 stale_token with the gateway's headers", "403 stale_token with the gateway's headers",
        "403 without any marker", "403 with another Mashery code",
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Remembers_a_rejection_for_RejectedTokenCacheDuration_then_asks_again_when_tokenInfo_answers(string answer)
    {
        await using var api = await AfterOneRequestAnsweredAsync(answer);

        api.Time.Advance(TimeSpan.FromSeconds(29));
        using var remembered = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.Unauthorized, remembered.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        api.TokenInfo.AnswersValid();
        using var askedAgain = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.OK, askedAgain.StatusCode);
        Assert.Equal(2, api.TokenInfo.Calls);
    }

    public static TheoryData<string> Outages => new()
    {
        "403 ERR_403_DEVELOPER_OVER_QPS", "403 ERR_403_DEVELOPER_OVER_RATE", "403 ERR_403_SERVICE_OVER_QPS",
        "403 with a rate-limit code among several in one header value", "429",
        "500", "502", "503", "504", "302 redirect", "200 with a body that is not JSON", "200 with an HTML page",
        "200 with an empty body", "200 with no body", "200 with a JSON array", "200 with a JSON string", "200 with truncated JSON",
        "200 with trailing data after the object", "200 with an oversized body and Content-Length",
        "200 with an oversized body and no Content-Length", "200 with a client_id that is not a string",
        "200 with a scope that is a number", "200 with an expires_at that is not a time", "200 with a culture-dependent expires_at",
        "200 with a negative expires_in",
    };

    /// <summary>Every answer of <see cref="Rejections"/>, which the API answers with 401, and of <see cref="Outages"/>, which it answers with 503.</summary>
    public static TheoryData<string, HttpStatusCode> RejectionsAndOutages => new(
        Rejections.Select(row => (row.Data, HttpStatusCode.Unauthorized)).Concat(Outages.Select(row => (row.Data, HttpStatusCode.ServiceUnavailable))));

    [Theory]
    [MemberData(nameof(RejectionsAndOutages))]
    public async Task Answers_401_invalid_token_to_a_rejection_and_503_with_Retry_After_to_an_outage_when_tokenInfo_answers(string answer, HttpStatusCode status)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(Reply(answer));

        using var response = await api.GetAsync("/api/me", "tok3n");

        var rejected = status == HttpStatusCode.Unauthorized;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(rejected ? Challenges.Invalid : null, response.WwwAuthenticate());
        Assert.Equal(rejected ? null : "5", response.RetryAfter());
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task Remembers_an_outage_for_a_second_at_most_and_asks_again_after_it_when_tokenInfo_answered(string answer)
    {
        await using var api = await AfterOneRequestAnsweredAsync(answer);
        var callsAfterOutage = api.TokenInfo.Calls;
        api.TokenInfo.AnswersValid();
        api.Time.Advance(TimeSpan.FromSeconds(1));

        using var again = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(callsAfterOutage + 1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData(typeof(HttpRequestException))] // tokenInfo cannot be reached
    [InlineData(typeof(IOException))] // the connection breaks while the body is read
    public async Task Answers_503_with_Retry_After_when_the_call_to_tokenInfo_fails(Type thrown)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Throwing(() => (Exception)Activator.CreateInstance(thrown, "Connection refused, or the response ended prematurely.")!));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
    }

    [Fact]
    public async Task Answers_503_when_tokenInfo_does_not_answer_within_TokenInfoTimeout()
    {
        // One long attempt, so that TokenInfoTimeout (5 s), the bound of the whole call, is what ends it.
        await using var api = new TestApi().WithLongAttempts();
        api.TokenInfo.Hangs();

        var pending = api.GetAsync("/api/me", "tok3n");
        await api.TokenInfo.WhenCallsArrived(1);
        var call = Assert.Single(api.TokenInfo.Requests);
        api.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(call.CancellationToken.IsCancellationRequested);
        api.Time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await pending;

        Assert.True(call.CancellationToken.IsCancellationRequested);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.RetryAfter());
    }

    [Fact]
    public async Task Answers_503_once_TokenInfoTimeout_has_passed_with_the_default_resilience_settings()
    {
        await using var api = new TestApi();
        api.TokenInfo.Hangs();

        var pending = api.GetAsync("/api/me", "tok3n");
        await api.TokenInfo.WhenCallsArrived(1);
        api.Time.Advance(TimeSpan.FromSeconds(5));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.All(api.TokenInfo.Requests, call => Assert.True(call.CancellationToken.IsCancellationRequested));
    }

    [Fact]
    public async Task Accepts_an_answer_that_arrives_just_before_TokenInfoTimeout()
    {
        await using var api = new TestApi().Configure(options => options.TokenInfoTimeout = TimeSpan.FromSeconds(2));
        api.TokenInfo.AnswersAfter(TimeSpan.FromSeconds(1.9), TokenInfoReply.Valid(TestApi.StartTime.AddHours(1)));

        var pending = api.GetAsync("/api/me", "tok3n");
        await api.TokenInfo.WhenCallsArrived(1);
        api.Time.Advance(TimeSpan.FromSeconds(1.9));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(1024, true, HttpStatusCode.OK)]
    [InlineData(1025, true, HttpStatusCode.ServiceUnavailable)]
    [InlineData(1025, false, HttpStatusCode.ServiceUnavailable)]
    public async Task Accepts_a_body_of_exactly_MaxResponseBytes_and_answers_503_for_one_byte_more_with_or_without_Content_Length(
        int length, bool withContentLength, HttpStatusCode expected)
    {
        await using var api = new TestApi().Configure(options => options.MaxResponseBytes = 1024);
        api.TokenInfo.Answers(withContentLength ? TokenInfoReply.Json(Padded(length)) : TokenInfoReply.Unbounded(Padded(length)));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Can_answer_401_instead_of_503_when_UnavailableStatusCode_is_401()
    {
        await using var api = new TestApi().Configure(options => options.UnavailableStatusCode = 401);
        api.TokenInfo.Answers(TokenInfoReply.Of(500));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The access token could not be validated now; try again later.\"",
            response.WwwAuthenticate());
        Assert.Null(response.RetryAfter());
    }

    [Theory]
    [InlineData("00:00:00", null)]
    [InlineData("00:00:01.2", "2")]
    [InlineData("00:02:00", "120")]
    public async Task Sends_the_configured_Retry_After_in_whole_seconds(string retryAfter, string? expected)
    {
        await using var api = new TestApi().Configure(options => options.RetryAfter = TimeSpan.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture));
        api.TokenInfo.Answers(TokenInfoReply.Of(503));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expected, response.RetryAfter());
    }

    /// <summary>A valid tokenInfo answer padded with an unknown field to exactly <paramref name="length"/> bytes.</summary>
    private static string Padded(int length)
    {
        const string head = """{"client_id":"demo-client","scope":"user_info","expires_at":"2026-03-01T13:00:00Z","padding":""" + "\"";
        const string tail = "\"}";
        return head + new string('x', length - Encoding.UTF8.GetByteCount(head) - tail.Length) + tail;
    }

    /// <summary>The sample after one request with a token that tokenInfo gave <paramref name="answer"/> for.</summary>
    private static async Task<TestApi> AfterOneRequestAnsweredAsync(string answer)
    {
        var api = new TestApi();
        api.TokenInfo.Answers(Reply(answer));
        (await api.GetAsync("/api/me", "tok3n")).Dispose();
        return api;
    }

    private static TokenInfoReply Reply(string answer)
    {
        const string valid = """{"client_id":"demo-client","scope":"user_info","expires_at":"2026-03-01T13:00:00Z"}""";
        return answer switch
        {
            "400" => TokenInfoReply.Of(400, """{"error":"invalid_request"}"""),
            "401" => TokenInfoReply.Of(401),
            "404" => TokenInfoReply.Of(404, "Not Found"),
            "401 stale_token with the gateway's headers" => TokenInfoReply.StaleToken(401),
            "403 stale_token with the gateway's headers" => TokenInfoReply.StaleToken(403),
            "403 without any marker" => TokenInfoReply.Of(403),
            "403 with another Mashery code" => TokenInfoReply.Of(403, null, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED")),
            "403 ERR_403_DEVELOPER_OVER_QPS" or "403 ERR_403_DEVELOPER_OVER_RATE" or "403 ERR_403_SERVICE_OVER_QPS" =>
                TokenInfoReply.Of(403, """{"Message":"Over limit"}""", ("X-Mashery-Error-Code", answer[4..])),
            "403 with a rate-limit code among several in one header value" =>
                TokenInfoReply.Of(403, null, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED, ERR_403_SERVICE_OVER_QPS")),
            "429" => TokenInfoReply.Of(429, null, ("Retry-After", "60")),
            "500" or "502" or "503" or "504" => TokenInfoReply.Of(int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture), valid),
            "302 redirect" => TokenInfoReply.Of(302, valid, ("Location", "https://secure.join.me/login")),
            "200 with a body that is not JSON" => TokenInfoReply.Json("client_id=demo-client&scope=user_info"),
            "200 with an HTML page" => TokenInfoReply.Json("<html><body>Maintenance</body></html>"),
            "200 with an empty body" => TokenInfoReply.Json(string.Empty),
            "200 with no body" => TokenInfoReply.Of(200),
            "200 with a JSON array" => TokenInfoReply.Json("[" + valid + "]"),
            "200 with a JSON string" => TokenInfoReply.Json("\"demo-client\""),
            "200 with truncated JSON" => TokenInfoReply.Json(valid[..^10]),
            "200 with trailing data after the object" => TokenInfoReply.Json(valid + """{"client_id":"demo-client"}"""),
            "200 with an oversized body and Content-Length" => TokenInfoReply.Json(Padded(16 * 1024 + 1)),
            "200 with an oversized body and no Content-Length" => TokenInfoReply.Unbounded(Padded(16 * 1024 + 1)),
            "200 with a client_id that is not a string" => TokenInfoReply.Json("""{"client_id":42,"scope":"user_info"}"""),
            "200 with a scope that is a number" => TokenInfoReply.Json("""{"client_id":"demo-client","scope":7}"""),
            "200 with an expires_at that is not a time" => TokenInfoReply.Json("""{"client_id":"demo-client","expires_at":"tomorrow"}"""),
            "200 with a culture-dependent expires_at" => TokenInfoReply.Json("""{"client_id":"demo-client","expires_at":"03/01/2026 13:00"}"""),
            "200 with a negative expires_in" => TokenInfoReply.Json("""{"client_id":"demo-client","expires_in":-5}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "No such scripted answer."),
        };
    }
}
