using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Emulator;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>
/// The handler's own tokenInfo client (SocketsHttpHandler, redirects off) against the emulator served over loopback sockets, and against
/// a port where nothing listens.
/// </summary>
public sealed class RealSocketsTests
{
    [Fact]
    public async Task A_token_is_validated_over_real_sockets()
    {
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var host = new SampleHost(TokenInfoSource.Network, settings: joinMe.SampleSettings);
        var token = joinMe.Emulator.MintToken(SampleHost.ClientId, "user_info").AccessToken;

        using var accepted = await host.GetAsync(token, "/api/user");
        using var rejected = await host.GetAsync(Tokens.New(), "/api/user");

        Assert.Equal(200, (int)accepted.StatusCode);
        Assert.Equal(401, (int)rejected.StatusCode);
        Assert.Equal(Challenges.Invalid, rejected.WwwAuthenticate());
        Assert.Equal(2, joinMe.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task A_redirect_from_tokenInfo_is_not_followed_so_the_token_goes_nowhere_else()
    {
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var host = new SampleHost(TokenInfoSource.Network, settings: joinMe.SampleSettings);
        var token = joinMe.Emulator.MintToken(SampleHost.ClientId, "user_info").AccessToken;
        joinMe.Redirected.Add(token);

        using var response = await host.GetAsync(token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Null(response.WwwAuthenticate());
        Assert.Equal(0, joinMe.Collected);
        Assert.All(host.Edge.RequestUris, uri => Assert.Equal(joinMe.Authority.Authority, uri.Authority));
    }

    [Fact]
    public async Task A_refused_connection_gives_503_after_one_retry()
    {
        var closed = LoopbackJoinMe.ClosedPort();
        await using var host = new SampleHost(TokenInfoSource.Network, settings: new Dictionary<string, string?>
        {
            [$"Authentication:Schemes:{SampleHost.Scheme}:Authority"] = closed.ToString().TrimEnd('/'),
            [$"Authentication:Schemes:{SampleHost.Scheme}:RequireHttpsAuthority"] = "false",
        });
        var token = Tokens.New();

        using var response = await host.GetAsync(token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
        Assert.Equal(2, host.Edge.CallsFor(token));
    }

    [Theory]
    [InlineData(JoinMeEmulatorFaultMode.Down, 2)]
    [InlineData(JoinMeEmulatorFaultMode.Error, 2)]
    [InlineData(JoinMeEmulatorFaultMode.Garbage, 1)]
    [InlineData(JoinMeEmulatorFaultMode.RateLimited, 1)]
    public async Task An_emulator_fault_over_real_sockets_gives_503_and_a_cached_token_still_works(JoinMeEmulatorFaultMode fault, int attempts)
    {
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var host = new SampleHost(TokenInfoSource.Network, settings: joinMe.SampleSettings);
        var cached = joinMe.Emulator.MintToken(SampleHost.ClientId, "user_info").AccessToken;
        using (var warm = await host.GetAsync(cached))
        {
            Assert.Equal(200, (int)warm.StatusCode);
        }

        joinMe.Emulator.SetFault(fault);
        var token = joinMe.Emulator.MintToken(SampleHost.ClientId, "user_info").AccessToken;
        using var response = await host.GetAsync(token);
        using var stillCached = await host.GetAsync(cached);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(attempts, host.Edge.CallsFor(token));
        Assert.Equal(200, (int)stillCached.StatusCode);
    }
}
