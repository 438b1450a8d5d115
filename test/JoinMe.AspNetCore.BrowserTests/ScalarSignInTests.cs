using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>
/// Scalar's own UI at /scalar (the Scalar.AspNetCore bundle the sample serves): Authorize signs in at the emulator the sample hosts,
/// in a popup, and the API client then sends the token as a bearer token.
/// </summary>
/// <remarks>
/// Every wait is on what Scalar or the emulator shows: the scope summary ("Scopes Selected 2 / 4"), the consent page's Allow button,
/// the popup closing (Scalar reads the token from it and closes it), the access token field it fills in, and the status it shows for a
/// response. Locators are roles with Scalar's accessible names (its English texts and aria-labels), not its generated ids or classes.
/// </remarks>
public sealed class ScalarSignInTests(SampleServer server, Browser browser) : IClassFixture<SampleServer>, IClassFixture<Browser>
{
    /// <summary>Where the screenshot of Scalar signed in goes, from the repository's root (README.md shows it).</summary>
    private const string ScreenshotPath = "docs/scalar-signed-in.png";

    [Fact]
    public async Task Signing_in_through_Scalar_without_start_meeting_gets_200_from_meetings_and_403_from_start_with_the_bearer_token()
    {
        await using var context = await browser.Require().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        // Not waiting for the load event: Scalar's bundle takes seconds to compile, and what counts is what it then shows.
        await page.GotoAsync($"{server.Origin}/scalar", new() { WaitUntil = WaitUntilState.Commit });

        // The Authentication box of the reference: the sample preselects its three scopes for the implicit flow.
        var auth = page.GetByRole(AriaRole.Group, new() { Name = "Authentication" });
        var scopes = auth.GetByRole(AriaRole.Button, new() { Name = "Scopes Selected" });
        await Assertions.Expect(scopes).ToHaveTextAsync("Scopes Selected 3 / 4");

        // Leave start_meeting out. Every step waits for Scalar's own count: in this Scalar (1.77), the first untick of a preselected
        // scope clears the whole selection, so the selection is first made Scalar's own with Select All, whose count is certain.
        await scopes.ClickAsync();
        await auth.GetByRole(AriaRole.Button, new() { Name = "Select All", Exact = true }).ClickAsync();
        await Assertions.Expect(scopes).ToHaveTextAsync("Scopes Selected 4 / 4");
        await ScopeBox(auth, "provisioning").UncheckAsync();
        await Assertions.Expect(scopes).ToHaveTextAsync("Scopes Selected 3 / 4");
        await ScopeBox(auth, "start_meeting").UncheckAsync();
        await Assertions.Expect(scopes).ToHaveTextAsync("Scopes Selected 2 / 4");
        await Assertions.Expect(ScopeBox(auth, "user_info")).ToBeCheckedAsync();
        await Assertions.Expect(ScopeBox(auth, "scheduler")).ToBeCheckedAsync();

        // Authorize opens the emulator's consent page in a popup; Allow sends it to /oauth2-callback.html, where Scalar reads the
        // token from the fragment and closes the popup itself.
        var popup = await page.RunAndWaitForPopupAsync(() => auth.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true }).ClickAsync());
        var popupClosed = ClosedAsync(popup);
        var allow = popup.GetByRole(AriaRole.Button, new() { Name = "Allow" });
        await allow.WaitForAsync();
        Assert.Equal("demo-client", await popup.Locator("#client").TextContentAsync());
        Assert.Equal(["user_info", "scheduler"], await popup.Locator("#scopes code").AllTextContentsAsync());
        Assert.Equal($"{server.Origin}/oauth2-callback.html", await popup.Locator("#redirect-uri").TextContentAsync());
        await allow.ClickAsync();
        await popupClosed;

        // Signed in: Scalar shows the token it got in place of the Authorize button.
        var tokenField = auth.GetByRole(AriaRole.Textbox, new() { Name = "Access Token" });
        await Assertions.Expect(tokenField).ToHaveValueAsync(new Regex(@"^\S+$"));
        var token = await tokenField.InputValueAsync();

        // GET /api/meetings from its operation's Test Request: 200, sent with the token.
        await page.GetByRole(AriaRole.Complementary).GetByRole(AriaRole.Link, new() { Name = "/api/meetings HTTP Method: GET" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request (get /api/meetings)" }).ClickAsync();
        var client = page.GetByRole(AriaRole.Dialog, new() { Name = "API Client" });
        var meetings = await SendAsync(client, "get", "/api/meetings");
        Assert.Equal($"Bearer {token}", await meetings.Request.HeaderValueAsync("authorization"));
        Assert.Equal(200, meetings.Status);
        var response = client.GetByRole(AriaRole.Region, new() { Name = "Response" });
        await Assertions.Expect(response.GetByRole(AriaRole.Link, new() { Name = "200 OK" })).ToBeVisibleAsync();
        await Assertions.Expect(response.GetByText("Weekly planning")).ToBeVisibleAsync();

        await Screenshot.SaveAsync(page, Repository.PathOf(ScreenshotPath));

        // POST /api/meetings/start: 403, because start_meeting was not granted.
        await client.GetByRole(AriaRole.Button, new() { Name = "Close Client" }).ClickAsync();
        await page.GetByRole(AriaRole.Complementary).GetByRole(AriaRole.Link, new() { Name = "Meetings", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request (post /api/meetings/start)" }).ClickAsync();
        var start = await SendAsync(client, "post", "/api/meetings/start");
        Assert.Equal($"Bearer {token}", await start.Request.HeaderValueAsync("authorization"));
        Assert.Equal(403, start.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"start_meeting\"", await start.HeaderValueAsync("www-authenticate"));
        await Assertions.Expect(response.GetByRole(AriaRole.Link, new() { Name = "403 Forbidden" })).ToBeVisibleAsync();
    }

    private static ILocator ScopeBox(ILocator auth, string scope) =>
        auth.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {scope} scope", Exact = true });

    // Sends the API client's request with its Send button and returns the response the page received for it.
    private static Task<IResponse> SendAsync(ILocator client, string method, string path)
    {
        var send = client.GetByRole(AriaRole.Button, new() { Name = $"Send {method} request to" });
        return client.Page.RunAndWaitForResponseAsync(
            () => send.ClickAsync(),
            response => response.Request.Method == method.ToUpperInvariant() && new Uri(response.Url).AbsolutePath == path);
    }

    // Completes when the page closes (Playwright has no wait for that, only the event).
    private static Task ClosedAsync(IPage page)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Close += (_, _) => closed.TrySetResult();
        if (page.IsClosed)
        {
            closed.TrySetResult();
        }

        return closed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
