namespace JoinMe.AspNetCore.Authentication.Tests.Resilience;

/// <summary>
/// The cap on simultaneous tokenInfo calls (the standard resilience handler's concurrency limiter): a burst of distinct new tokens never has more
/// than the cap in flight at tokenInfo, the queue's worth more wait for a slot, and the rest get 503 at once. Nothing hangs.
/// </summary>
public sealed class ConcurrencyCapTests
{
    public static TheoryData<int, int, int> Bursts => new()
    {
        { 1, 0, 10 },
        { 2, 2, 12 },
        { 4, 16, 200 },
    };

    [Theory]
    [MemberData(nameof(Bursts))]
    public async Task A_burst_of_new_tokens_never_exceeds_the_cap_and_the_excess_gets_503_at_once(int cap, int queue, int burst)
    {
        await using var api = Capped(cap, queue);
        api.TokenInfo.HoldCalls();

        var requests = Enumerable.Range(0, burst).Select(_ => api.GetAsync("/api/me", Tokens.New())).ToArray();

        // With tokenInfo held, only the requests over cap + queue can finish, and they do, without the clock moving.
        await Wait.UntilAsync(() => requests.Count(r => r.IsCompleted) == burst - cap - queue && api.TokenInfo.InFlight == cap, "the excess to be refused");
        var refused = requests.Where(r => r.IsCompleted).ToArray();
        foreach (var response in await Task.WhenAll(refused))
        {
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("5", response.RetryAfter());
            response.Dispose();
        }

        Assert.Equal(cap, api.TokenInfo.Calls);

        api.TokenInfo.ReleaseCalls();
        var admitted = await Wait.ForAsync(Task.WhenAll(requests.Except(refused)), "the admitted requests");
        Assert.All(admitted, response => Assert.Equal(200, (int)response.StatusCode));
        Assert.Equal(cap + queue, api.TokenInfo.Calls);
        Assert.Equal(cap, api.TokenInfo.MaxInFlight);
    }

    [Fact]
    public async Task Calls_held_in_flight_or_in_the_queue_give_up_at_TokenInfoTimeout()
    {
        await using var api = Capped(cap: 2, queue: 2);
        api.TokenInfo.HoldCalls();
        var timeout = TimeSpan.FromSeconds(5);
        var attempt = TimeSpan.FromSeconds(2);

        var requests = Enumerable.Range(0, 4).Select(_ => api.GetAsync("/api/me", Tokens.New())).ToArray();
        await Wait.UntilAsync(() => api.Clock.TimersCreated(timeout) == 4 && api.TokenInfo.InFlight == 2, "two calls in flight and two queued");

        // 2 s: the two attempts in flight time out and are retried, still within their slots.
        api.Time.Advance(attempt);
        await Wait.UntilAsync(() => api.TokenInfo.Calls == 4 && api.TokenInfo.InFlight == 2, "the two retries");
        Assert.DoesNotContain(requests, request => request.IsCompleted);

        // 4 s: the retries time out, those two requests get 503, and the queued two get their slots.
        api.Time.Advance(attempt);
        await Wait.UntilAsync(
            () => api.TokenInfo.Calls == 6 && api.TokenInfo.InFlight == 2 && requests.Count(request => request.IsCompleted) == 2,
            "two requests to end and the queued calls to start");

        // 5 s: TokenInfoTimeout ends the calls that waited in the queue, wherever they are.
        api.Time.Advance(timeout - attempt - attempt);
        foreach (var response in await Wait.ForAsync(Task.WhenAll(requests), "every request"))
        {
            Assert.Equal(503, (int)response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(2, api.TokenInfo.MaxInFlight);
        await Wait.UntilAsync(() => api.TokenInfo.InFlight == 0, "every held call to be cancelled");
    }

    // Every request of a test comes from one client; the bursts bring more new tokens than one client may in a minute.
    private static TestApi Capped(int cap, int queue) => new TestApi()
        .Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0)
        .WithResilience(options =>
        {
            options.RateLimiter.DefaultRateLimiterOptions.PermitLimit = cap;
            options.RateLimiter.DefaultRateLimiterOptions.QueueLimit = queue;
        });
}
