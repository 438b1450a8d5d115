using System.Net;
using System.Text.Encodings.Web;
using static JoinMe.AspNetCore.Testing.Tests.EmulatorHost;

namespace JoinMe.AspNetCore.Testing.Tests;

/// <summary>A client with a second Callback URL (AddRedirectUri): either is accepted, and the answer goes to the one asked for.</summary>
public sealed class CallbackUrlTests
{
    private const string SecondRedirectUri = "https://app.example/oauth2-callback.html";

    [Fact]
    public async Task Allow_redirects_to_the_added_callback_when_that_is_the_one_asked_for()
    {
        await using var host = await StartAsync();
        host.Emulator.AddRedirectUri(ClientId, SecondRedirectUri);

        var location = await host.AllowAsync(AuthorizeUrl(state: "S", redirectUri: SecondRedirectUri));

        Assert.StartsWith(SecondRedirectUri + "#access_token=", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_callback_still_works_beside_the_added_one()
    {
        await using var host = await StartAsync();
        host.Emulator.AddRedirectUri(ClientId, SecondRedirectUri);

        var location = await host.AllowAsync(AuthorizeUrl());

        Assert.StartsWith(RedirectUri + "#access_token=", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_the_client_again_forgets_the_added_callback()
    {
        await using var host = await StartAsync();
        host.Emulator.AddRedirectUri(ClientId, SecondRedirectUri);
        host.Emulator.RegisterClient(ClientId, RedirectUri);

        using var response = await host.Client.GetAsync(AuthorizeUrl(redirectUri: SecondRedirectUri), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(
            HtmlEncoder.Default.Encode($"is not the Callback URL registered for the client '{ClientId}' ('{RedirectUri}')"),
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown-client", SecondRedirectUri, "clientId")]
    [InlineData(ClientId, "/relative", "redirectUri")]
    public async Task Adding_a_callback_to_an_unknown_client_or_an_invalid_url_is_refused(string clientId, string redirectUri, string parameter)
    {
        await using var host = await StartAsync();

        var error = Assert.Throws<ArgumentException>(() => host.Emulator.AddRedirectUri(clientId, redirectUri));

        Assert.Equal(parameter, error.ParamName);
    }
}
