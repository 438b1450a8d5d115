using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.Resilience;

/// <summary>
/// The cap on simultaneous tokenInfo calls: a burst of distinct new tokens never has more than MaxConcurrentCalls in flight at tokenInfo,
/// MaxQueuedCalls more wait for a slot, and the rest get 503 at once. Nothing hangs.
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
        await using var host = await StartAsync(cap, queue);
        host.Edge.CloseGate();

        var requests = Enumerable.Range(0, burst).Select(_ => host.GetAsync(Tokens.New())).ToArray();

        // With tokenInfo held at the gate, only the requests over cap + queue can finish, and they do, without the clock moving.
        await Wait.UntilAsync(() => requests.Count(r => r.IsCompleted) == burst - cap - queue && host.Edge.InFlight == cap, "the excess to be refused");
        var refused = requests.Where(r => r.IsCompleted).ToArray();
        foreach (var response in await Task.WhenAll(refused))
        {
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal(Challenges.RetryAfter, response.RetryAfter());
            Assert.Null(response.WwwAuthenticate());
            response.Dispose();
        }

        Assert.Equal(cap, host.Edge.Calls);

        host.Edge.OpenGate();
        var admitted = await Wait.ForAsync(Task.WhenAll(requests.Except(refused)), "the admitted requests");
        Assert.All(admitted, response => Assert.Equal(200, (int)response.StatusCode));
        Assert.Equal(cap + queue, host.Edge.Calls);
        Assert.Equal(cap, host.Edge.MaxInFlight);
    }

    [Fact]
    public async Task Calls_held_in_flight_or_in_the_queue_give_up_at_TokenInfoTimeout()
    {
        await using var host = await StartAsync(cap: 2, queue: 2);
        host.Edge.CloseGate();
        var timeout = host.Options.TokenInfoTimeout;
        var attempt = host.Options.Resilience.AttemptTimeout;

        var requests = Enumerable.Range(0, 4).Select(_ => host.GetAsync(Tokens.New())).ToArray();
        await Wait.UntilAsync(() => host.Clock.TimersCreated(timeout) == 4 && host.Edge.InFlight == 2, "two calls in flight and two queued");

        // 2 s: the two attempts in flight time out and are retried, still within their slots.
        host.Time.Advance(attempt);
        await Wait.UntilAsync(() => host.Edge.Calls == 4 && host.Edge.InFlight == 2, "the two retries");
        Assert.DoesNotContain(requests, request => request.IsCompleted);

        // 4 s: the retries time out, those two requests get 503, and the queued two get their slots.
        host.Time.Advance(attempt);
        await Wait.UntilAsync(
            () => host.Edge.Calls == 6 && host.Edge.InFlight == 2 && requests.Count(request => request.IsCompleted) == 2,
            "two requests to end and the queued calls to start");

        // 5 s: TokenInfoTimeout ends the calls that waited in the queue, wherever they are.
        host.Time.Advance(timeout - attempt - attempt);
        foreach (var response in await Wait.ForAsync(Task.WhenAll(requests), "every request"))
        {
            Assert.Equal(503, (int)response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(2, host.Edge.MaxInFlight);
        await Wait.UntilAsync(() => host.Edge.InFlight == 0, "every held call to be cancelled");
    }

    private static Task<SampleHost> StartAsync(int cap, int queue) => Task.FromResult(new SampleHost(
        TokenInfoSource.Scripted,
        options =>
        {
            options.Resilience.MaxConcurrentCalls = cap;
            options.Resilience.MaxQueuedCalls = queue;
        },
        defaultReply: Reply.Json(Reply.ValidBody(SampleHost.Start.AddHours(1)))));
}
