namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>Two sample APIs whose tokenInfo refuses every token as stale: one with the default options, one that also accepts tokens from the query.</summary>
public sealed class HostileRequestApis : IAsyncDisposable
{
    public HostileRequestApis()
    {
        Default.TokenInfo.Answers(TokenInfoReply.StaleToken());
        QueryTokens.TokenInfo.Answers(TokenInfoReply.StaleToken());
    }

    public TestApi Default { get; } = new();

    public TestApi QueryTokens { get; } = new TestApi().Configure(options => options.AcceptTokenFromQuery = true);

    public async ValueTask DisposeAsync()
    {
        await Default.DisposeAsync();
        await QueryTokens.DisposeAsync();
    }
}

/// <summary>
/// Hostile requests, sent straight onto the server's HttpContext so that every header value arrives exactly as written, including
/// those a real client or Kestrel would refuse to carry (<see cref="RealHttpStackTests"/> shows which). None may be accepted.
/// </summary>
public sealed class HostileRequestTests(HostileRequestApis apis) : IClassFixture<HostileRequestApis>
{
    [Theory]
    [MemberData(nameof(RequestCase.Names), MemberType = typeof(RequestCase))]
    public async Task Hostile_request_is_refused_with_the_right_status_and_challenge(string name)
    {
        var hostile = RequestCase.ByName[name];

        var run = await hostile.RunAsync(hostile.QueryTokens ? apis.QueryTokens : apis.Default);

        Assert.Equal((hostile.Status, hostile.Challenge, hostile.Calls), (run.Response.Status, run.Response.WwwAuthenticate, run.Calls));
        Assert.All(run.EdgeTokens, token => Assert.Equal(run.ExpectedEdgeToken, token));
        Assert.Null(run.Response.RetryAfter);
    }
}
