namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// A client may register several Callback URLs (an app's page and an OpenAPI UI's callback page, say); authorize still accepts
/// only one of them, character for character, and answers to the one the request named.
/// </summary>
public sealed class SeveralCallbackUrlsTests
{
    private const string Spa = "spa";
    private const string Page = "http://localhost:5080/";
    private const string ScalarCallback = "http://localhost:5080/scalar/oauth2-redirect.html";

    [Theory]
    [InlineData(Page, "allow", "#access_token=")]
    [InlineData(ScalarCallback, "allow", "#access_token=")]
    [InlineData(Page, "deny", "#error=access_denied")]
    [InlineData(ScalarCallback, "deny", "#error=access_denied")]
    public async Task Consent_goes_back_to_whichever_registered_callback_the_request_named(string redirectUri, string decision, string fragmentStart)
    {
        await using var host = await StartAsync(options => options.Clients.Add(new(Spa, [Page, ScalarCallback])));
        var page = await host.OpenConsentAsync(AuthorizeUrl(clientId: Spa, redirectUri: redirectUri));

        using var answer = await host.AnswerConsentAsync(page, decision);

        Assert.Contains($"<code id=\"redirect-uri\">{HtmlEncoder.Default.Encode(redirectUri)}</code>", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        Assert.StartsWith(redirectUri + fragmentStart, answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("http://localhost:5080/scalar/")]
    [InlineData("HTTP://localhost:5080/scalar/oauth2-redirect.html")]
    [InlineData("http://localhost:5080/scalar/oauth2-redirect.html?x=1")]
    [InlineData("http://localhost:5081/")]
    public async Task Authorize_refuses_a_callback_that_is_not_exactly_one_of_the_registered_ones(string redirectUri)
    {
        await using var host = await StartAsync(options => options.Clients.Add(new(Spa, [Page, ScalarCallback])));

        using var response = await host.Client.GetAsync(AuthorizeUrl(clientId: Spa, redirectUri: redirectUri), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(
            HtmlEncoder.Default.Encode($"The redirect_uri '{redirectUri}' is none of the Callback URLs registered for the client 'spa' ('{Page}', '{ScalarCallback}'); it must equal one, character for character."),
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_added_to_a_registered_client_is_accepted_beside_the_ones_it_had()
    {
        await using var host = await StartAsync();
        using var before = await host.Client.GetAsync(AuthorizeUrl(redirectUri: ScalarCallback), TestContext.Current.CancellationToken);

        var client = host.Emulator.AddRedirectUri(ClientId, ScalarCallback);
        var again = host.Emulator.AddRedirectUri(ClientId, ScalarCallback);
        var added = await host.AllowAsync(AuthorizeUrl(redirectUri: ScalarCallback));
        var original = await host.AllowAsync(AuthorizeUrl());

        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);
        Assert.Equal([RedirectUri, ScalarCallback], client.RedirectUris);
        Assert.Equal(client, again);
        Assert.Equal(RedirectUri, client.RedirectUri);
        Assert.StartsWith(ScalarCallback + "#access_token=", added, StringComparison.Ordinal);
        Assert.StartsWith(RedirectUri + "#access_token=", original, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody", ScalarCallback, "clientId", "The client 'nobody' is not registered with the emulator.")]
    [InlineData(ClientId, "/relative", "redirectUri", "redirect_uri '/relative' must be an absolute http or https URL.")]
    [InlineData(ClientId, "https://app.example/#x", "redirectUri", "redirect_uri 'https://app.example/#x' must not contain a fragment")]
    [InlineData(ClientId, "", "redirectUri", "redirect_uri is required for client 'test-client'")]
    public async Task Adding_a_callback_refuses_an_unregistered_client_or_a_bad_url_and_changes_nothing(string clientId, string redirectUri, string parameter, string message)
    {
        await using var host = await StartAsync();

        var exception = Assert.Throws<ArgumentException>(() => host.Emulator.AddRedirectUri(clientId, redirectUri));

        Assert.Equal(parameter, exception.ParamName);
        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal([new JoinMeEmulatorClient(ClientId, RedirectUri)], host.Emulator.GetClients());
    }

    [Fact]
    public void A_client_keeps_at_most_32_callbacks()
    {
        var emulator = new JoinMeEmulator();
        emulator.RegisterClient("app", "https://app.example/0");
        for (var i = 1; i < 32; i++)
        {
            emulator.AddRedirectUri("app", $"https://app.example/{i}");
        }

        var exception = Assert.Throws<ArgumentException>(() => emulator.AddRedirectUri("app", "https://app.example/32"));

        Assert.Equal("Client 'app' already has 32 Callback URLs; the emulator keeps at most 32 per client.", exception.Message[..exception.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]);
        Assert.True(emulator.TryGetClient("app", out var client));
        Assert.Equal(32, client.RedirectUris.Count);
    }

    [Fact]
    public void Reset_forgets_added_callbacks_and_keeps_the_seeded_ones()
    {
        var emulator = new JoinMeEmulator(new JoinMeEmulatorOptions { Clients = { new(Spa, [Page, ScalarCallback]) } });
        emulator.AddRedirectUri(Spa, "http://localhost:5080/other");

        emulator.Reset();

        Assert.Equal([new JoinMeEmulatorClient(Spa, [Page, ScalarCallback])], emulator.GetClients());
    }

    [Fact]
    public void Registering_a_client_again_replaces_all_its_callbacks_with_the_one_given()
    {
        var emulator = new JoinMeEmulator(new JoinMeEmulatorOptions { Clients = { new(Spa, [Page, ScalarCallback]) } });

        var client = emulator.RegisterClient(Spa, "http://localhost:6000/");

        Assert.Equal(["http://localhost:6000/"], client.RedirectUris);
        Assert.Equal([client], emulator.GetClients());
    }
}
