namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>Where the handler finds the token (RFC 6750 §2), and what it refuses before any call to tokenInfo.</summary>
public sealed class TokenRetrievalTests
{
    [Theory]
    [InlineData("Bearer tok3n", "tok3n")]
    [InlineData("bearer tok3n", "tok3n")]
    [InlineData("BEARER tok3n", "tok3n")]
    [InlineData("bEaReR tok3n", "tok3n")]
    [InlineData("Bearer  tok3n", "tok3n")]
    [InlineData("Bearer abc+/-._~", "abc+/-._~")]
    [InlineData("Bearer abc=", "abc=")]
    [InlineData("Bearer abc==", "abc==")]
    public async Task Reads_the_bearer_token_whatever_the_case_of_the_scheme_with_every_b64token_character_and_trailing_padding(string authorization, string token)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/me", authorization);

        AssertValidated(api, response, token);
    }

    [Theory]
    [InlineData("Bearer abc def")]
    [InlineData("Bearer abc$def")]
    [InlineData("Bearer abc\"def")]
    [InlineData("Bearer abc,def")]
    [InlineData("Bearer abc%20def")]
    [InlineData("Bearer =abc")]
    [InlineData("Bearer ab=c")]
    [InlineData("Bearer abc=def=")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer \t")]
    public async Task Rejects_a_malformed_token_without_calling_tokenInfo(string authorization)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/me", authorization);

        AssertRefusedWithoutACall(api, response, HttpStatusCode.Unauthorized, Challenges.Malformed);
    }

    [Theory]
    [InlineData(null, 1024)] // the default
    [InlineData(24, 24)]
    public async Task Accepts_a_token_of_exactly_MaxTokenLength_and_rejects_a_longer_one_as_malformed_without_calling_tokenInfo(int? configured, int maxTokenLength)
    {
        await using var api = configured is { } length ? new TestApi().Configure(options => options.MaxTokenLength = length) : new TestApi();

        using var exact = await api.GetAsync("/api/me", new string('a', maxTokenLength));
        using var longer = await api.GetAsync("/api/me", new string('a', maxTokenLength + 1));

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, longer.StatusCode);
        Assert.Equal(Challenges.Malformed, longer.WwwAuthenticate());
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData("/api/me", null)]
    [InlineData("/api/me", "Basic ZGVtbzpzZWNyZXQ=")]
    [InlineData("/api/me", "Bearertok3n")]
    [InlineData("/api/me", "Token tok3n")]
    [InlineData("/api/me", "tok3n")]
    [InlineData("/api/me?access_token=tok3n", null)] // the query is not read by default
    public async Task Answers_401_with_a_plain_Bearer_challenge_and_calls_nothing_without_a_bearer_token_it_reads(string path, string? authorization)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, path, authorization);

        AssertRefusedWithoutACall(api, response, HttpStatusCode.Unauthorized, Challenges.NoToken);
        Assert.Null(response.RetryAfter());
    }

    [Fact]
    public async Task Serves_an_anonymous_endpoint_without_calling_tokenInfo()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData(false, "/api/me?access_token=other", "tok3n")] // the header, and the query ignored by default
    [InlineData(true, "/api/me?access_token=tok3n", null)]
    public async Task Reads_the_header_and_the_query_only_when_AcceptTokenFromQuery_is_on(bool acceptTokenFromQuery, string path, string? headerToken)
    {
        await using var api = NewApi(acceptTokenFromQuery);

        using var response = await api.GetAsync(path, headerToken);

        AssertValidated(api, response, "tok3n");
    }

    [Fact]
    public async Task Rejects_a_malformed_query_token_without_calling_tokenInfo()
    {
        await using var api = NewApi(acceptTokenFromQuery: true);

        using var response = await api.GetAsync("/api/me?access_token=tok%20en");

        AssertRefusedWithoutACall(api, response, HttpStatusCode.Unauthorized, Challenges.Malformed);
    }

    [Theory]
    [InlineData(true, "/api/me?access_token=tok3n", new[] { "Bearer tok3n" })] // the header and the query
    [InlineData(true, "/api/me?access_token=one&access_token=two", new string[0])]
    [InlineData(false, "/api/me", new[] { "Bearer one", "Bearer two" })] // two Authorization headers
    public async Task Answers_400_invalid_request_when_the_request_carries_more_than_one_token(bool acceptTokenFromQuery, string path, string[] authorization)
    {
        await using var api = NewApi(acceptTokenFromQuery);

        using var response = await api.GetWithHeadersAsync(path, headers => Array.ForEach(authorization, value => headers.TryAddWithoutValidation("Authorization", value)));

        AssertRefusedWithoutACall(api, response, HttpStatusCode.BadRequest, Challenges.InvalidRequest);
    }

    [Fact]
    public async Task Validates_a_token_that_OnMessageReceived_supplies()
    {
        await using var api = WhereOnMessageReceived(context => context.Token = context.Request.Headers["X-JoinMe-Token"]);

        using var response = await api.GetWithHeadersAsync("/api/me", headers => headers.Add("X-JoinMe-Token", "from-event"));

        AssertValidated(api, response, "from-event");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")] // as JwtBearer does
    public async Task Reads_the_header_when_OnMessageReceived_supplies_no_token_or_an_empty_one(string? supplied)
    {
        await using var api = WhereOnMessageReceived(context => context.Token = supplied);

        using var response = await api.GetAsync("/api/me", "tok3n");

        AssertValidated(api, response, "tok3n");
    }

    [Fact]
    public async Task Rejects_a_malformed_token_from_OnMessageReceived_without_calling_tokenInfo()
    {
        await using var api = WhereOnMessageReceived(context => context.Token = "not a token");

        using var response = await api.GetAsync("/api/me");

        AssertRefusedWithoutACall(api, response, HttpStatusCode.Unauthorized, Challenges.Malformed);
    }

    [Fact]
    public async Task Lets_OnMessageReceived_fail_the_request_without_calling_tokenInfo()
    {
        await using var api = WhereOnMessageReceived(context => context.Fail("Blocked by the app."));

        using var response = await api.GetAsync("/api/me", "tok3n");

        AssertRefusedWithoutACall(api, response, HttpStatusCode.Unauthorized, Challenges.Invalid);
    }

    /// <summary>The sample with its default options, or with <see cref="JoinMeOptions.AcceptTokenFromQuery"/> on.</summary>
    private static TestApi NewApi(bool acceptTokenFromQuery) =>
        acceptTokenFromQuery ? new TestApi().Configure(options => options.AcceptTokenFromQuery = true) : new TestApi();

    private static TestApi WhereOnMessageReceived(Action<MessageReceivedContext> received) =>
        new TestApi().Configure(options => options.Events.OnMessageReceived = context =>
        {
            received(context);
            return Task.CompletedTask;
        });

    /// <summary>The request was served, and tokenInfo was asked about <paramref name="token"/> once.</summary>
    private static void AssertValidated(TestApi api, HttpResponseMessage response, string token)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(token, Assert.Single(api.TokenInfo.Requests).Token);
    }

    private static void AssertRefusedWithoutACall(TestApi api, HttpResponseMessage response, HttpStatusCode status, string challenge)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(challenge, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }
}
