namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>What the sample answers a token, and what the cache and the circuit breaker make of tokenInfo's answers, as the tests check them.</summary>
public static class TestApiAssertions
{
    /// <summary>GET /api/me with <paramref name="token"/> answers <paramref name="status"/>.</summary>
    public static async Task AssertStatusAsync(this TestApi api, string token, int status)
    {
        using var response = await api.GetAsync("/api/me", token);
        Assert.Equal(status, (int)response.StatusCode);
    }

    /// <summary>GET /api/me with <paramref name="token"/> answers 503 with the default Retry-After and no challenge: join.me could not say.</summary>
    public static async Task AssertUnavailableAsync(this TestApi api, string token)
    {
        using var response = await api.GetAsync("/api/me", token);
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
        Assert.Null(response.WwwAuthenticate()); // Challenges.Unavailable
    }

    /// <summary>A new token the emulator vouches for gets 503 without a tokenInfo call: the circuit is open.</summary>
    public static async Task AssertRefusedWithoutACallAsync(this TestApi api)
    {
        var token = api.Mint();
        await api.AssertUnavailableAsync(token);
        Assert.Equal(0, api.TokenInfo.CallsFor(token));
    }

    /// <summary>
    /// Five requests with new tokens while the emulator (<see cref="TestApi.UsingEmulator"/>) answers 500: ten failed attempts with the default
    /// resilience settings, and the circuit opens.
    /// </summary>
    public static async Task OpenCircuitAsync(this TestApi api)
    {
        api.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);
        for (var i = 0; i < 5; i++)
        {
            await api.AssertUnavailableAsync(api.Mint());
        }

        await api.AssertRefusedWithoutACallAsync();
    }

    /// <summary>
    /// What tokenInfo last said of <paramref name="token"/> (just now) serves until <paramref name="trustedFor"/> has passed on the fake clock, and no
    /// longer: a second before, the request is answered from the cache; then tokenInfo is asked again.
    /// </summary>
    public static async Task AssertTrustedForAsync(this TestApi api, string token, TimeSpan trustedFor)
    {
        var calls = api.TokenInfo.Calls;

        api.Time.Advance(trustedFor - TimeSpan.FromSeconds(1));
        await api.MeAsync(token);
        Assert.Equal(calls, api.TokenInfo.Calls);

        api.Time.Advance(TimeSpan.FromSeconds(1));
        await api.MeAsync(token);
        Assert.Equal(calls + 1, api.TokenInfo.Calls);
    }
}
