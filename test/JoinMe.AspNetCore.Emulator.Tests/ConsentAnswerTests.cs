namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>Allow and Deny redirect to the Callback URL with the answer in the fragment.</summary>
public sealed partial class ConsentAnswerTests
{
    private const string UnknownForm = "This consent form is unknown or was already answered.";

    private const string WrongBrowser = "This consent form was not shown in this browser: a forged or cross-site form post is refused.";

    [Fact]
    public async Task Allow_redirects_to_the_callback_with_token_type_expires_in_minutes_and_state_in_the_fragment()
    {
        await using var host = await StartAsync();

        var location = await host.AllowAsync(AuthorizeUrl(scope: "scheduler start_meeting", state: "ABCD"));

        var token = TokenInFragment().Match(location).Groups[1].Value;
        Assert.Equal($"https://app.example/callback#access_token={token}&token_type=bearer&expires_in=1440&state=ABCD", location);
        Assert.Matches("^[23456789abcdefghjkmnpqrstuvwxyz]{24}$", token);
    }

    [Fact]
    public async Task Allow_issues_a_token_that_tokenInfo_knows_with_the_client_and_the_granted_scopes()
    {
        await using var host = await StartAsync();

        var location = await host.AllowAsync(AuthorizeUrl(scope: "user_info scheduler"));
        using var response = await host.TokenInfoAsync(Fragment.Parse(location)["access_token"]);

        await AssertAnswerAsync(response, HttpStatusCode.OK, """{"client_id":"test-client","scope":"user_info scheduler","expires_at":"2026-11-29T10:00:00Z"}""");
    }

    [Fact]
    public async Task Allow_without_state_sends_no_state()
    {
        await using var host = await StartAsync();

        var location = await host.AllowAsync(AuthorizeUrl());

        Assert.Equal(["access_token", "token_type", "expires_in"], Fragment.Parse(location).Keys);
    }

    [Fact]
    public async Task Allow_answer_is_not_cached()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var response = await host.AnswerConsentAsync(page, "allow");

        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Deny_redirects_to_the_callback_with_access_denied_and_state_and_issues_no_token()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl(state: "xyz"));

        using var response = await host.AnswerConsentAsync(page, "deny");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://app.example/callback#error=access_denied&state=xyz", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Deny_without_state_sends_only_the_error()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var response = await host.AnswerConsentAsync(page, "deny");

        Assert.Equal("https://app.example/callback#error=access_denied", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("""{"client_id":"abc","network":"joinme","display":"popup","callback":"_hellojs_1","state":"","redirect_uri":"https://x/y?a=1&b=2#c"}""")]
    [InlineData("has spaces  and  more")]
    [InlineData("a&b=c&d")]
    [InlineData("#hash#")]
    [InlineData("plus+plus")]
    [InlineData("percent %41 %2F %")]
    [InlineData("ünïcødé ✓ 日本語 🎉")]
    [InlineData("=leading=equals==")]
    [InlineData("")]
    public async Task State_comes_back_exactly_as_sent_and_percent_encoded(string state)
    {
        await using var host = await StartAsync();

        var allowLocation = await host.AllowAsync(AuthorizeUrl(state: state));
        var denyPage = await host.OpenConsentAsync(AuthorizeUrl(state: state));
        using var deny = await host.AnswerConsentAsync(denyPage, "deny");
        var denyLocation = deny.Headers.Location!.OriginalString;

        Assert.Equal(state, Fragment.Parse(allowLocation)["state"]);
        Assert.EndsWith($"&state={Uri.EscapeDataString(state)}", allowLocation, StringComparison.Ordinal);
        Assert.Equal($"https://app.example/callback#error=access_denied&state={Uri.EscapeDataString(state)}", denyLocation);
        Assert.All(allowLocation + denyLocation, c => Assert.True(c is > ' ' and < (char)0x7F, $"Unencoded character U+{(int)c:X4}"));
    }

    [Fact]
    public async Task Callback_with_a_query_keeps_it_before_the_fragment()
    {
        await using var host = await StartAsync();
        host.Emulator.RegisterClient("spa", "http://localhost:5000/?page=callback");

        var location = await host.AllowAsync(AuthorizeUrl(clientId: "spa", redirectUri: "http://localhost:5000/?page=callback", state: "s"));

        Assert.StartsWith("http://localhost:5000/?page=callback#access_token=", location, StringComparison.Ordinal);
        Assert.Equal("s", Fragment.Parse(location)["state"]);
    }

    [Fact]
    public async Task A_consent_form_can_be_answered_once()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());
        using var first = await host.AnswerConsentAsync(page, "allow");

        using var replay = await host.AnswerConsentAsync(page, "allow");

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        await AssertRefusedAsync(replay, UnknownForm);
    }

    [Theory]
    [InlineData("Other=1", null, WrongBrowser)] // without the browser's cookie
    [InlineData(null, "made-up", UnknownForm)] // with a made-up ticket
    public async Task A_forged_allow_post_is_refused_and_leaves_the_real_form_usable(string? cookie, string? ticket, string reason)
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var forged = await host.AnswerConsentAsync(page, "allow", cookie, ticket);
        using var genuine = await host.AnswerConsentAsync(page, "allow");

        await AssertRefusedAsync(forged, reason);
        Assert.Equal(HttpStatusCode.Found, genuine.StatusCode);
    }

    [Fact]
    public async Task A_forged_allow_post_with_a_ticket_shown_to_another_browser_is_refused()
    {
        await using var host = await StartAsync();
        var attackers = await host.OpenConsentAsync(AuthorizeUrl());
        var victims = await host.OpenConsentAsync(AuthorizeUrl());

        using var forged = await host.AnswerConsentAsync(attackers, "allow", cookie: victims.Cookie);

        Assert.NotEqual(attackers.Cookie, victims.Cookie);
        await AssertRefusedAsync(forged, WrongBrowser);
    }

    [Fact]
    public async Task A_cross_site_allow_post_is_refused_even_with_the_cookie()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var response = await PostConsentAsync(host, page, new FormUrlEncodedContent([new("ticket", page.Ticket), new("decision", "allow")]), crossSite: true);

        await AssertRefusedAsync(response, "A cross-site form post is refused");
    }

    [Fact]
    public async Task A_consent_form_expires_after_ten_minutes()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());
        host.Time.Advance(TimeSpan.FromMinutes(10));

        using var response = await host.AnswerConsentAsync(page, "allow");

        await AssertRefusedAsync(response, "This consent form has expired (after 10 minutes).");
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("ALLOW")]
    [InlineData("")]
    public async Task A_consent_answer_other_than_allow_or_deny_is_refused_and_keeps_the_form_usable(string decision)
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var response = await host.AnswerConsentAsync(page, decision);
        using var genuine = await host.AnswerConsentAsync(page, "deny");

        await AssertRefusedAsync(response, "must carry one decision, 'allow' or 'deny'");
        Assert.Equal(HttpStatusCode.Found, genuine.StatusCode);
    }

    [Fact]
    public async Task A_consent_answer_that_is_not_a_form_is_refused()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());

        using var response = await PostConsentAsync(
            host, page, new StringContent($$"""{"ticket":"{{page.Ticket}}","decision":"allow"}""", Encoding.UTF8, "application/json"), crossSite: false);

        await AssertRefusedAsync(response, "must be a form post");
    }

    [Fact]
    public async Task Reset_forgets_waiting_consent_forms()
    {
        await using var host = await StartAsync();
        var page = await host.OpenConsentAsync(AuthorizeUrl());
        host.Emulator.Reset();

        using var response = await host.AnswerConsentAsync(page, "allow");

        await AssertRefusedAsync(response, UnknownForm);
    }

    /// <summary>Posts <paramref name="content"/> to the authorize endpoint with the page's browser cookie, as this page or as another site's.</summary>
    private static async Task<HttpResponseMessage> PostConsentAsync(EmulatorHost host, ConsentPage page, HttpContent content, bool crossSite)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AuthorizePath) { Content = content };
        request.Headers.Add("Cookie", page.Cookie);
        if (crossSite)
        {
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
        }

        return await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The consent answer was refused: 400, an error page that says <paramref name="why"/>, and no redirect.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string why)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(HtmlEncoder.Default.Encode(why), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [GeneratedRegex("access_token=([^&]+)")]
    private static partial Regex TokenInFragment();
}
