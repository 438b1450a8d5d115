using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Testing;

namespace JoinMe.AspNetCore.Resilience.Tests.Resilience;

/// <summary>
/// join.me's rate-limit answers (API-FACTS.md) say nothing about the token: 503 with Retry-After, never 401, never cached, not retried.
/// </summary>
public sealed class RateLimitTests
{
    public static TheoryData<string, int, string?> RateLimitAnswers => new()
    {
        { "developer over QPS", 403, "ERR_403_DEVELOPER_OVER_QPS" },
        { "developer over rate", 403, "ERR_403_DEVELOPER_OVER_RATE" },
        { "service over QPS", 403, "ERR_403_SERVICE_OVER_QPS" },
        { "code with spaces around it", 403, " ERR_403_DEVELOPER_OVER_QPS " },
        { "429 Too Many Requests", 429, null },
    };

    [Theory]
    [MemberData(nameof(RateLimitAnswers))]
    public async Task A_rate_limit_answer_is_unavailable_and_the_same_token_is_asked_about_again(string what, int status, string? code)
    {
        _ = what;
        await using var host = new SampleHost(TokenInfoSource.Scripted);
        var token = Tokens.New();
        var rateLimited = code is null ? Reply.Status(status) : Reply.Status(status, ("X-Mashery-Error-Code", code));
        host.Scripted.Script(token, Reply.Sequence(rateLimited, Reply.Valid(host.Time)));

        await CircuitBreakerTests.AssertUnavailableAsync(host, token);
        Assert.Equal(1, host.Edge.CallsFor(token));

        // Nothing was cached: the next request asks again, and now the token is good.
        await CircuitBreakerTests.AssertStatusAsync(host, token, 200);
        Assert.Equal(2, host.Edge.CallsFor(token));
    }

    [Fact]
    public async Task The_emulator_rate_limiting_makes_a_good_token_unavailable_not_rejected()
    {
        await using var host = new SampleHost();
        var token = host.Mint();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.RateLimited);

        for (var i = 0; i < 3; i++)
        {
            await CircuitBreakerTests.AssertUnavailableAsync(host, token);
        }

        host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        await CircuitBreakerTests.AssertStatusAsync(host, token, 200);
        Assert.Equal(4, host.Edge.CallsFor(token));
    }
}

/// <summary>
/// An unavailable answer is never cached, not even for the instant after it is delivered: a request that starts once the previous one has
/// its 503 asks tokenInfo again.
/// </summary>
public sealed class UnavailableIsNeverReusedTests
{
    [Fact]
    public async Task A_request_that_starts_after_a_503_asks_tokenInfo_again_every_time()
    {
        await using var host = new SampleHost(TokenInfoSource.Scripted, HostileInput.HostileTokenInfoHosts.KeepCircuitClosed);
        var reused = 0;

        for (var i = 0; i < 300; i++)
        {
            var token = Tokens.New();
            host.Scripted.Script(token, Reply.Sequence(Reply.Status(429), Reply.Valid(host.Time)));
            using var first = await host.GetAsync(token);
            Assert.Equal(503, (int)first.StatusCode);
            using var second = await host.GetAsync(token);
            reused += (int)second.StatusCode == 503 && host.Edge.CallsFor(token) == 1 ? 1 : 0;
        }

        Assert.Equal(0, reused);
    }
}
