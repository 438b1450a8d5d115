using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>Two sample hosts over the emulator: one with the default options, one that also accepts tokens from the query.</summary>
public sealed class HostileRequestHosts : IAsyncLifetime
{
    internal SampleHost Default { get; private set; } = null!;

    internal SampleHost QueryTokens { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Default = new SampleHost();
        QueryTokens = new SampleHost(options: options => options.AcceptTokenFromQuery = true);
        return ValueTask.CompletedTask;
    }

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
public sealed class HostileRequestTests(HostileRequestHosts hosts) : IClassFixture<HostileRequestHosts>
{
    public static TheoryData<string> Cases => RequestCase.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_request_is_refused_with_the_right_status_and_challenge(string name)
    {
        var hostile = RequestCase.ByName[name];
        var host = hostile.QueryTokens ? hosts.QueryTokens : hosts.Default;

        var run = await hostile.RunAsync(host);

        Assert.Equal(hostile.Status, run.Response.Status);
        Assert.Equal(hostile.Challenge, run.Response.WwwAuthenticate);
        Assert.Equal(hostile.Calls, run.Calls);
        if (hostile.Calls > 0)
        {
            Assert.All(run.EdgeTokens, token => Assert.Equal(run.ExpectedEdgeToken, token));
        }

        Assert.NotEqual(200, run.Response.Status);
        Assert.Null(run.Response.RetryAfter);
    }
}
