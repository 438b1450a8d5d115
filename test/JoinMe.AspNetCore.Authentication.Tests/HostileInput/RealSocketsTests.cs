namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

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
        await using var api = new TestApi().OverNetwork(joinMe.Authority);

        using var accepted = await api.GetAsync("/api/user", Mint(joinMe));
        using var rejected = await api.GetAsync("/api/user", Tokens.New());

        Assert.Equal(200, (int)accepted.StatusCode);
        Assert.Equal(401, (int)rejected.StatusCode);
        Assert.Equal(Challenges.Invalid, rejected.WwwAuthenticate());
        Assert.Equal(2, joinMe.Emulator.GetStats().TokenInfoCalls);
    }

    [Fact]
    public async Task A_redirect_from_tokenInfo_is_not_followed_so_the_token_goes_nowhere_else()
    {
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var api = new TestApi().OverNetwork(joinMe.Authority);
        var token = Mint(joinMe);
        joinMe.Redirected.Add(token);

        using var response = await api.GetAsync("/api/me", token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Null(response.WwwAuthenticate());
        Assert.Equal(0, joinMe.Collected);
        var call = Assert.Single(api.TokenInfo.Requests);
        Assert.Equal(joinMe.Authority.Authority, call.Uri.Authority);
    }

    [Fact]
    public async Task A_refused_connection_gives_503_after_one_retry()
    {
        await using var api = new TestApi().OverNetwork(LoopbackJoinMe.ClosedPort());
        var token = Tokens.New();

        using var response = await api.GetAsync("/api/me", token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
        Assert.Equal(2, api.TokenInfo.CallsFor(token));
    }

    [Theory]
    [InlineData(JoinMeEmulatorFaultMode.Down, 2)]
    [InlineData(JoinMeEmulatorFaultMode.Error, 2)]
    [InlineData(JoinMeEmulatorFaultMode.Garbage, 1)]
    [InlineData(JoinMeEmulatorFaultMode.RateLimited, 1)]
    public async Task An_emulator_fault_over_real_sockets_gives_503_and_a_cached_token_still_works(JoinMeEmulatorFaultMode fault, int attempts)
    {
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var api = new TestApi().OverNetwork(joinMe.Authority);
        var cached = Mint(joinMe);
        using (var warm = await api.GetAsync("/api/me", cached))
        {
            Assert.Equal(200, (int)warm.StatusCode);
        }

        joinMe.Emulator.SetFault(fault);
        var token = Mint(joinMe);
        using var response = await api.GetAsync("/api/me", token);
        using var stillCached = await api.GetAsync("/api/me", cached);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(attempts, api.TokenInfo.CallsFor(token));
        Assert.Equal(200, (int)stillCached.StatusCode);
    }

    private static string Mint(LoopbackJoinMe joinMe) => joinMe.Emulator.MintToken(TestApi.ClientId, "user_info").AccessToken;
}
