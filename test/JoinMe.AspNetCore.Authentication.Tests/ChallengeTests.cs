namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>The exact RFC 6750 <c>WWW-Authenticate</c> values, with a realm, and with details turned off.</summary>
public sealed class ChallengeTests
{
    [Fact]
    public async Task Puts_the_realm_first_and_escapes_its_quotes_and_backslashes()
    {
        await using var api = new TestApi().Configure(options => options.Realm = "join.me \"demo\" \\ api");
        api.TokenInfo.AnswersValid("user_info");

        using var none = await api.GetAsync("/api/me");
        using var forbidden = await api.GetAsync("/api/meetings", "tok3n");
        api.TokenInfo.Answers(TokenInfoReply.Of(401));
        using var rejected = await api.GetAsync("/api/me", "other");
        using var malformed = await api.GetAsync("/api/me", "a b");

        Assert.Equal("Bearer realm=\"join.me \\\"demo\\\" \\\\ api\"", none.WwwAuthenticate());
        Assert.Equal(
            "Bearer realm=\"join.me \\\"demo\\\" \\\\ api\", error=\"insufficient_scope\", scope=\"scheduler\"",
            forbidden.WwwAuthenticate());
        Assert.Equal(
            "Bearer realm=\"join.me \\\"demo\\\" \\\\ api\", error=\"invalid_token\", error_description=\"The access token is invalid.\"",
            rejected.WwwAuthenticate());
        Assert.Equal(
            "Bearer realm=\"join.me \\\"demo\\\" \\\\ api\", error=\"invalid_token\", error_description=\"The access token is malformed.\"",
            malformed.WwwAuthenticate());
    }

    [Fact]
    public async Task Turns_control_characters_in_the_realm_into_spaces_so_the_header_stays_valid()
    {
        await using var api = new TestApi().Configure(options => options.Realm = "line one\r\nline two");

        using var response = await api.GetAsync("/api/me");

        Assert.Equal("Bearer realm=\"line one  line two\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task Reads_the_realm_from_configuration()
    {
        await using var api = new TestApi().WithSchemeSetting("Realm", "api.example");

        using var response = await api.GetAsync("/api/me");

        Assert.Equal("Bearer realm=\"api.example\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task Leaves_out_error_description_when_IncludeErrorDetails_is_off()
    {
        await using var api = new TestApi().Configure(options => options.IncludeErrorDetails = false);
        api.TokenInfo.Answers(TokenInfoReply.Of(401));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task Never_puts_the_token_in_a_challenge()
    {
        await using var api = new TestApi().Configure(options => options.Realm = "r");
        api.TokenInfo.Answers(TokenInfoReply.Of(401, "tokenInfo says tok3nSecret is stale"));

        using var response = await api.GetAsync("/api/me", "tok3nSecret");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("tok3nSecret", response.WwwAuthenticate(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok3nSecret", body, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, header => header.Value.Any(value => value.Contains("tok3nSecret", StringComparison.Ordinal)));
    }
}
