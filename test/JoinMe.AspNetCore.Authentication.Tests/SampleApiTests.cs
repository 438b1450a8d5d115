namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>The sample's own endpoints beyond the API: sign-out, and health checks that no anonymous caller can use to spend join.me's budget.</summary>
public sealed class SampleApiTests
{
    [Fact]
    public async Task Signing_out_revokes_the_callers_own_token_at_once_and_answers_204()
    {
        await using var api = new TestApi();
        await api.MeAsync("tok3n");

        using var signedOut = await api.PostAsync("/api/signout", "tok3n");
        using var afterwards = await api.GetAsync("/api/me", "tok3n");
        using var anonymous = await api.PostAsync("/api/signout");

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Signing_out_with_the_token_in_the_query_revokes_that_token()
    {
        await using var api = new TestApi().WithSchemeSetting("AcceptTokenFromQuery", "true");
        await api.MeAsync("tok3n");

        using var signedOut = await api.PostAsync("/api/signout?access_token=tok3n");
        using var afterwards = await api.GetAsync("/api/me?access_token=tok3n");

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Liveness_is_public_and_never_calls_join_me()
    {
        await using var api = new TestApi();

        using var response = await api.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData("203.0.113.9", HttpStatusCode.NotFound, 0)]
    [InlineData("127.0.0.1", HttpStatusCode.OK, 1)]
    [InlineData("::1", HttpStatusCode.OK, 1)]
    public async Task Readiness_asks_join_me_for_this_machines_callers_only(string caller, HttpStatusCode status, int calls)
    {
        await using var api = new TestApi();

        using var response = await api.GetWithHeadersAsync("/health/ready", headers => headers.Add(TestApi.RemoteAddressHeader, caller));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(calls, api.TokenInfo.Calls);
    }
}
