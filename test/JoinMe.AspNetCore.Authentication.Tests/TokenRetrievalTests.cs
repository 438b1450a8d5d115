namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>Where the handler finds the token (RFC 6750 §2), and what it refuses before any call to tokenInfo.</summary>
public sealed class TokenRetrievalTests
{
    private const string Malformed = "Bearer error=\"invalid_token\", error_description=\"The access token is malformed.\"";
    private const string InvalidRequest = "Bearer error=\"invalid_request\", error_description=\"The request carries more than one access token.\"";

    [Theory]
    [InlineData("Bearer tok3n")]
    [InlineData("bearer tok3n")]
    [InlineData("BEARER tok3n")]
    [InlineData("bEaReR tok3n")]
    [InlineData("Bearer  tok3n")]
    public async Task Reads_the_bearer_token_whatever_the_case_of_the_scheme(string authorization)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/me", authorization);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
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

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Malformed, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData("Bearer abc+/-._~")]
    [InlineData("Bearer abc=")]
    [InlineData("Bearer abc==")]
    public async Task Accepts_every_b64token_character_and_trailing_padding(string authorization)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/me", authorization);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rejects_a_token_longer_than_MaxTokenLength_without_calling_tokenInfo()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/me", new string('a', 1025));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Malformed, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Accepts_a_token_of_exactly_MaxTokenLength()
    {
        await using var api = new TestApi().Configure(options => options.MaxTokenLength = 24);

        using var exact = await api.GetAsync("/api/me", new string('a', 24));
        using var longer = await api.GetAsync("/api/me", new string('a', 25));

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, longer.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData("Basic ZGVtbzpzZWNyZXQ=")]
    [InlineData("Bearertok3n")]
    [InlineData("Token tok3n")]
    [InlineData("tok3n")]
    public async Task Ignores_other_authorization_schemes_and_answers_401_with_a_plain_Bearer_challenge(string authorization)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/me", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Answers_401_with_a_plain_Bearer_challenge_and_calls_nothing_when_there_is_no_token()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.WwwAuthenticate());
        Assert.Null(response.RetryAfter());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Serves_an_anonymous_endpoint_without_calling_tokenInfo()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Ignores_a_token_in_the_query_by_default()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/me?access_token=tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Uses_the_header_and_ignores_the_query_by_default_when_both_carry_a_token()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/api/me?access_token=other", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
    }

    [Fact]
    public async Task Accepts_a_token_in_the_query_when_AcceptTokenFromQuery_is_on()
    {
        await using var api = new TestApi().Configure(options => options.AcceptTokenFromQuery = true);

        using var response = await api.GetAsync("/api/me?access_token=tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
    }

    [Fact]
    public async Task Rejects_a_malformed_query_token_without_calling_tokenInfo()
    {
        await using var api = new TestApi().Configure(options => options.AcceptTokenFromQuery = true);

        using var response = await api.GetAsync("/api/me?access_token=tok%20en");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Malformed, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Answers_400_invalid_request_when_the_header_and_the_query_both_carry_a_token()
    {
        await using var api = new TestApi().Configure(options => options.AcceptTokenFromQuery = true);

        using var response = await api.GetAsync("/api/me?access_token=tok3n", "tok3n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InvalidRequest, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Answers_400_invalid_request_when_the_query_carries_two_tokens()
    {
        await using var api = new TestApi().Configure(options => options.AcceptTokenFromQuery = true);

        using var response = await api.GetAsync("/api/me?access_token=one&access_token=two");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InvalidRequest, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Answers_400_invalid_request_for_two_Authorization_headers()
    {
        await using var api = new TestApi();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer one", "Bearer two"]);

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InvalidRequest, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Validates_a_token_that_OnMessageReceived_supplies()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnMessageReceived = context =>
        {
            context.Token = context.Request.Headers["X-JoinMe-Token"];
            return Task.CompletedTask;
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("X-JoinMe-Token", "from-event");

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from-event", Assert.Single(api.TokenInfo.Requests).Token);
    }

    [Fact]
    public async Task Reads_the_header_when_OnMessageReceived_supplies_no_token()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnMessageReceived = _ => Task.CompletedTask);

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
    }

    [Fact]
    public async Task Reads_the_header_when_OnMessageReceived_supplies_an_empty_token_as_JwtBearer_does()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnMessageReceived = context =>
        {
            context.Token = string.Empty;
            return Task.CompletedTask;
        });

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
    }

    [Fact]
    public async Task Rejects_a_malformed_token_from_OnMessageReceived_without_calling_tokenInfo()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnMessageReceived = context =>
        {
            context.Token = "not a token";
            return Task.CompletedTask;
        });

        using var response = await api.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Malformed, response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Lets_OnMessageReceived_fail_the_request_without_calling_tokenInfo()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnMessageReceived = context =>
        {
            context.Fail("Blocked by the app.");
            return Task.CompletedTask;
        });

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"", response.WwwAuthenticate());
        Assert.Equal(0, api.TokenInfo.Calls);
    }
}
