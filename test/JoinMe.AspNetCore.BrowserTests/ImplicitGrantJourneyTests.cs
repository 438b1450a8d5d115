using System.Net;
using Microsoft.Playwright;

namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>
/// A person's whole journey on the sample page, in a real browser: sign in at the emulator, allow or deny, come back, call the API.
/// </summary>
public sealed class ImplicitGrantJourneyTests(SampleServer server, Browser browser) : IClassFixture<SampleServer>, IClassFixture<Browser>, IAsyncDisposable
{
    // Each test's own browser context (cookies, sessionStorage), closed when the test ends.
    private IBrowserContext? _context;

    [Fact]
    public async Task Signing_in_and_allowing_grants_the_chosen_scopes_and_the_api_answers_200_for_them_and_403_for_the_rest()
    {
        var page = await OpenSamplePageAsync();

        await page.UncheckAsync("#scope-start_meeting");
        await page.ClickAsync("#signin");

        await WaitForConsentPageAsync(page);
        Assert.Equal("demo-client", await page.TextContentAsync("#client"));
        await page.ClickAsync("#allow");

        await WaitForReturnAsync(page, "token");
        Assert.DoesNotContain("access_token", page.Url, StringComparison.Ordinal);
        Assert.Contains("Signed in", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#granted-scopes")).ToHaveTextAsync("user_info scheduler");

        Assert.Equal("200", await CallAsync(page, "ping"));
        Assert.Equal("200", await CallAsync(page, "user"));
        Assert.Equal("200", await CallAsync(page, "meetings"));
        Assert.Equal("403", await CallAsync(page, "start"));
        Assert.Contains("error=\"insufficient_scope\", scope=\"start_meeting\"", await page.TextContentAsync("#answer-start"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denying_the_request_brings_the_user_back_with_the_access_denied_error_and_no_token()
    {
        var page = await OpenSamplePageAsync();

        await SignInAndAnswerAsync(page, "#deny");

        await WaitForReturnAsync(page, "error");
        Assert.Contains("access_denied", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Equal("not signed in", await page.TextContentAsync("#granted-scopes"));
        Assert.Equal("401", await CallAsync(page, "me"));
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_so_the_api_answers_401_for_it()
    {
        var page = await OpenSamplePageAsync();
        await SignInAndAnswerAsync(page, "#allow");
        await WaitForReturnAsync(page, "token");

        // The token as the page keeps it, to send from outside the page once the page has forgotten it.
        var token = await page.EvaluateAsync<string>("() => sessionStorage.getItem('joinme.sample.token')");
        Assert.False(string.IsNullOrEmpty(token));
        using var api = new HttpClient { BaseAddress = new Uri(server.Origin) };
        using (var accepted = await GetMeAsync(api, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await page.ClickAsync("#signout");
        await page.WaitForSelectorAsync("body[data-signed-out='204']");

        Assert.Contains("Signed out", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('joinme.sample.token')"));
        Assert.Equal("not signed in", await page.TextContentAsync("#granted-scopes"));
        using var revoked = await GetMeAsync(api, token);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("error=\"invalid_token\"", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_whose_state_was_not_sent_by_this_page_is_ignored()
    {
        var page = await NewPageAsync();

        await page.GotoAsync($"{server.Origin}/#access_token=forged0token0value&token_type=bearer&expires_in=1440&state=not-ours");
        await page.WaitForSelectorAsync("body[data-ready='true'][data-answer='ignored']");

        Assert.Contains("did not carry the state", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Equal("not signed in", await page.TextContentAsync("#granted-scopes"));
        Assert.DoesNotContain("forged0token0value", page.Url, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        _context = await browser.Require().NewContextAsync();
        return await _context.NewPageAsync();
    }

    private async Task<IPage> OpenSamplePageAsync()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{server.Origin}/");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        return page;
    }

    // The redirect lands on the page with the answer in the fragment, which the page wipes with history.replaceState at once, so the
    // address bar is no signal to wait on. The page says itself what it made of the answer once it is done: body[data-answer].
    // (The emulator's consent page has no such attribute, so this waits for the new document.)
    private async Task WaitForReturnAsync(IPage page, string answer)
    {
        await page.WaitForSelectorAsync($"body[data-ready='true'][data-answer='{answer}']");
        Assert.Equal($"{server.Origin}/", page.Url);
    }

    // The emulator's consent page, once it is there: its Allow button (the sample page has none).
    private static async Task WaitForConsentPageAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#allow");
        Assert.Contains("/api/public/v1/auth/oauth2", page.Url, StringComparison.Ordinal);
    }

    // Signs in from the sample page and answers on the emulator's consent page with its button "#allow" or "#deny".
    private static async Task SignInAndAnswerAsync(IPage page, string answer)
    {
        await page.ClickAsync("#signin");
        await WaitForConsentPageAsync(page);
        await page.ClickAsync(answer);
    }

    private static Task<HttpResponseMessage> GetMeAsync(HttpClient api, string token) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { Authorization = new("Bearer", token) } }, TestContext.Current.CancellationToken);

    private static async Task<string> CallAsync(IPage page, string call)
    {
        await page.ClickAsync($"#call-{call}");
        var status = page.Locator($"#status-{call}[data-status]");
        await status.WaitForAsync();
        return (await status.GetAttributeAsync("data-status"))!;
    }
}
