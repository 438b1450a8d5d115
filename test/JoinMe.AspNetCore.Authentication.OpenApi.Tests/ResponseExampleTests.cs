using System.Net.Http.Headers;
using JoinMe.AspNetCore.Emulator;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>The headers the document shows as examples are the ones the handler really sends, realm included.</summary>
public sealed class ResponseExampleTests : IAsyncLifetime
{
    private const string Path = "/meetings";
    private readonly JoinMeEmulator _emulator = new();
    private DescribedApp _app = null!;
    private JsonObject _responses = [];

    public async ValueTask InitializeAsync()
    {
        _emulator.RegisterClient(DescribedApp.ClientId, "https://app.example.com/");
        _app = await DescribedApp.StartAsync(
            a => a.MapGet(Path, () => "ok").RequireScope(JoinMeScopes.Scheduler, JoinMeScopes.StartMeeting),
            services =>
            {
                // A test host: the emulator stands in for join.me's real authority here, which its guard allows only when asked.
                services.AddJoinMeEmulatorBackchannel(_emulator).Configure<JoinMeEmulatorOptions>(o => o.UnsafeAllowOutsideDevelopment = true);
                services.Configure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, o => o.Realm = "meetings \"api\"");
            });
        _responses = (await _app.GetDocumentAsync()).Operation("GET", Path)["responses"]!.AsObject();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_401_example_is_the_challenge_for_a_token_join_me_does_not_know()
    {
        using var response = await GetAsync("unknown-token-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Example("401", "WWW-Authenticate"), response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_403_example_is_the_challenge_for_a_token_without_any_of_the_required_scopes()
    {
        using var response = await GetAsync(_emulator.MintToken(DescribedApp.ClientId, JoinMeScopes.UserInfo).AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer realm=\"meetings \\\"api\\\"\", error=\"insufficient_scope\", scope=\"scheduler start_meeting\"", Example("403", "WWW-Authenticate"));
        Assert.Equal(Example("403", "WWW-Authenticate"), response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_503_example_is_the_Retry_After_sent_while_join_me_is_down()
    {
        var token = _emulator.MintToken(DescribedApp.ClientId, JoinMeScopes.Scheduler).AccessToken;
        _emulator.SetFault(JoinMeEmulatorFaultMode.Down);

        using var response = await GetAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(Example("503", "Retry-After"), response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private string Example(string status, string header) => _responses[status]!["headers"]![header]!["example"]!.ToString();

    private async Task<HttpResponseMessage> GetAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
