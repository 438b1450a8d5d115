namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>A valid authorize request shows a plain consent page that cannot be framed.</summary>
public sealed class ConsentPageTests
{
    [Fact]
    public async Task Consent_page_names_the_client_and_each_requested_scope_with_allow_and_deny_buttons()
    {
        await using var host = await StartAsync();

        var page = await host.OpenConsentAsync(AuthorizeUrl(scope: "scheduler start_meeting"));

        Assert.Contains("<strong id=\"client\">test-client</strong>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<li><code>scheduler</code>: Read and manage your scheduled meetings</li>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<li><code>start_meeting</code>: Start meetings</li>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("user_info", page.Html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/api/public/v1/auth/oauth2\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\">Allow</button>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<code id=\"redirect-uri\">https://app.example/callback</code>", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_page_lists_a_scope_asked_twice_once()
    {
        await using var host = await StartAsync();

        var page = await host.OpenConsentAsync(AuthorizeUrl(scope: "scheduler  scheduler user_info"));

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page.Html, "<code>scheduler</code>"));
        Assert.Contains("<code>user_info</code>", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_page_forbids_framing_scripts_caching_and_sniffing()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync(AuthorizeUrl(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
            response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Consent_page_binds_its_form_to_the_browser_with_a_strict_http_only_cookie()
    {
        await using var host = await StartAsync();

        var page = await host.OpenConsentAsync(AuthorizeUrl());

        Assert.StartsWith("JoinMeEmulator.Browser=", page.SetCookie, StringComparison.Ordinal);
        Assert.Contains("path=/api/public/v1/auth/oauth2", page.SetCookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", page.SetCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", page.SetCookie, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", page.Ticket);
    }

    [Fact]
    public async Task Consent_page_keeps_the_browser_cookie_it_already_set()
    {
        await using var host = await StartAsync();
        var first = await host.OpenConsentAsync(AuthorizeUrl());

        using var request = new HttpRequestMessage(HttpMethod.Get, AuthorizeUrl());
        request.Headers.Add("Cookie", first.Cookie);
        using var second = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("Set-Cookie"));
        using var answer = await host.AnswerConsentAsync(first, "allow");
        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
    }

    [Fact]
    public async Task Consent_page_encodes_a_client_id_and_callback_with_markup()
    {
        await using var host = await StartAsync();
        host.Emulator.RegisterClient("<b>client</b>", "https://app.example/cb?a=1&b=<x>");

        var page = await host.OpenConsentAsync(AuthorizeUrl(clientId: "<b>client</b>", redirectUri: "https://app.example/cb?a=1&b=<x>"));

        Assert.DoesNotContain("<b>client</b>", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;client&lt;/b&gt;", page.Html, StringComparison.Ordinal);
        Assert.Contains("https://app.example/cb?a=1&amp;b=&lt;x&gt;", page.Html, StringComparison.Ordinal);
    }
}
