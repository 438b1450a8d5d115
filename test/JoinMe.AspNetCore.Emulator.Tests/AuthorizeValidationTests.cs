namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The authorize endpoint validates every parameter before consent, on an error page without redirect.</summary>
public sealed class AuthorizeValidationTests
{
    private const string Redirect = "redirect_uri=https%3A%2F%2Fapp.example%2Fcallback";

    [Theory]
    [InlineData($"client_id={ClientId}&{Redirect}&scope=scheduler", "The response_type parameter is missing: it must be 'token'")]
    [InlineData($"response_type=&client_id={ClientId}&{Redirect}&scope=scheduler", "The response_type parameter is missing")]
    [InlineData($"response_type=code&client_id={ClientId}&{Redirect}&scope=scheduler", "The response_type 'code' is not supported: it must be 'token'")]
    [InlineData($"response_type=Token&client_id={ClientId}&{Redirect}&scope=scheduler", "The response_type 'Token' is not supported")]
    [InlineData($"response_type=token&response_type=token&client_id={ClientId}&{Redirect}&scope=scheduler", "The response_type parameter is given more than once.")]
    [InlineData($"response_type=token&{Redirect}&scope=scheduler", "The client_id parameter is missing: it must be your application's API key.")]
    [InlineData($"response_type=token&client_id=nobody&{Redirect}&scope=scheduler", "The client_id 'nobody' is not a registered application.")]
    [InlineData($"response_type=token&client_id={ClientId}&client_id={ClientId}&{Redirect}&scope=scheduler", "The client_id parameter is given more than once.")]
    [InlineData($"response_type=token&client_id={ClientId}&scope=scheduler", "The redirect_uri parameter is missing: it must be your application's registered Callback URL.")]
    [InlineData($"response_type=token&client_id={ClientId}&redirect_uri=https%3A%2F%2Fevil.example%2Fcallback&scope=scheduler", "The redirect_uri 'https://evil.example/callback' is not the Callback URL registered for the client 'test-client' ('https://app.example/callback')")]
    [InlineData($"response_type=token&client_id={ClientId}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%2F&scope=scheduler", "The redirect_uri 'https://app.example/callback/' is not the Callback URL registered")]
    [InlineData($"response_type=token&client_id={ClientId}&redirect_uri=HTTPS%3A%2F%2Fapp.example%2Fcallback&scope=scheduler", "The redirect_uri 'HTTPS://app.example/callback' is not the Callback URL registered")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&{Redirect}&scope=scheduler", "The redirect_uri parameter is given more than once.")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}", "The scope parameter is missing or empty: ask for one or more of user_info, scheduler, start_meeting, provisioning, space-delimited.")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=", "The scope parameter is missing or empty")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=%20%20", "The scope parameter is missing or empty")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=scheduler%20meetings", "The scope 'meetings' is not known: ask for user_info, scheduler, start_meeting, provisioning.")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=Scheduler", "The scope 'Scheduler' is not known")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=scheduler&scope=user_info", "The scope parameter is given more than once.")]
    [InlineData($"response_type=token&client_id={ClientId}&{Redirect}&scope=scheduler&state=a&state=b", "The state parameter is given more than once.")]
    public async Task Authorize_rejects_a_bad_request_with_an_error_page_that_says_what_is_wrong_and_no_redirect(string query, string problem)
    {
        await using var host = await StartAsync();

        var html = await ErrorPageAsync(host, $"{AuthorizePath}?{query}");

        Assert.Contains(HtmlEncoder.Default.Encode(problem), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_rejects_an_unregistered_redirect_uri_with_an_error_page_and_no_redirect()
    {
        await using var host = await StartAsync();

        var html = await ErrorPageAsync(host, AuthorizeUrl(redirectUri: "https://evil.example/steal"));

        Assert.Contains("is not the Callback URL registered for the client", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"allow\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_lists_every_problem_of_a_request_at_once()
    {
        await using var host = await StartAsync();

        var html = await ErrorPageAsync(host, $"{AuthorizePath}?response_type=code&client_id=nobody&scope=nope");

        Assert.Contains("The response_type &#x27;code&#x27; is not supported", html, StringComparison.Ordinal);
        Assert.Contains("The client_id &#x27;nobody&#x27; is not a registered application.", html, StringComparison.Ordinal);
        Assert.Contains("The redirect_uri parameter is missing", html, StringComparison.Ordinal);
        Assert.Contains("The scope &#x27;nope&#x27; is not known", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_error_page_encodes_what_the_request_sent()
    {
        await using var host = await StartAsync();
        var hostile = "<script>alert('x')</script>";

        var html = await ErrorPageAsync(host, $"{AuthorizePath}?response_type=token&client_id={Uri.EscapeDataString(hostile)}&redirect_uri=x&scope={Uri.EscapeDataString(hostile)}");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_error_page_cannot_be_framed_or_cached()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.GetAsync($"{AuthorizePath}?response_type=token", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Authorize_accepts_a_scope_the_options_add()
    {
        await using var host = await StartAsync(options => options.Scopes.Add("recordings"));

        var page = await host.OpenConsentAsync(AuthorizeUrl(scope: "recordings"));

        Assert.Contains("<code>recordings</code>", page.Html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Asks the authorize endpoint for <paramref name="url"/>, which it must refuse before consent: a 400 HTML error page with no redirect, no
    /// consent form and no cookie. Returns the page.
    /// </summary>
    private static async Task<string> ErrorPageAsync(EmulatorHost host, string url)
    {
        using var response = await host.Client.GetAsync(url, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("name=\"ticket\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-Cookie", response.Headers.Select(h => h.Key));
        return html;
    }
}
