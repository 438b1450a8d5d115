namespace JoinMe.AspNetCore.Authentication.Tests;

[CollectionDefinition(nameof(ConcurrencyTests), DisableParallelization = true)]
public sealed class ConcurrencyCollection;

/// <summary>
/// Simultaneous requests with one uncached token share one tokenInfo call, whose timeout, failure and cancellation are its own.
/// These run alone, so that other tests do not starve them of the machine's two cores.
/// </summary>
[Collection(nameof(ConcurrencyTests))]
public sealed class ConcurrencyTests
{
    private const int Requests = 200;
    private const int Rounds = 100;

    [Fact]
    public async Task Two_hundred_simultaneous_requests_with_one_new_token_make_exactly_one_tokenInfo_call_round_after_round()
    {
        await EachRoundMakesOneTokenInfoCallAsync(async (api, round, token) =>
        {
            var missesBefore = api.Misses.Value;
            api.TokenInfo.HoldCalls();

            var requests = Enumerable.Range(0, Requests).Select(_ => api.GetAsync("/api/me", token)).ToArray();
            await api.TokenInfo.WhenCallsArrived(round);
            await api.Misses.WhenAtLeast(missesBefore + Requests);
            api.TokenInfo.ReleaseCalls();
            return await Task.WhenAll(requests);
        });
    }

    [Fact]
    public async Task Requests_that_arrive_while_the_result_is_being_stored_never_start_a_second_call()
    {
        // No gate: the call answers at once, so requests keep arriving before, during and after its result is stored.
        await EachRoundMakesOneTokenInfoCallAsync((api, round, token) =>
            Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() => api.GetAsync("/api/me", token)))));
    }

    [Fact]
    public async Task Simultaneous_requests_with_different_tokens_make_one_call_per_token()
    {
        await using var api = new TestApi();
        var tokens = Enumerable.Range(0, 25).Select(_ => Tokens.New()).ToArray();
        api.TokenInfo.HoldCalls();

        var requests = tokens.SelectMany(token => Enumerable.Range(0, 8).Select(_ => api.GetAsync("/api/me", token))).ToArray();
        await api.TokenInfo.WhenCallsArrived(tokens.Length);
        await api.Misses.WhenAtLeast(requests.Length);
        api.TokenInfo.ReleaseCalls();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(tokens.Order(StringComparer.Ordinal), api.TokenInfo.Requests.Select(call => call.Token!).Order(StringComparer.Ordinal));
        DisposeAll(responses);
    }

    [Fact]
    public async Task A_waiter_whose_request_is_cancelled_gives_up_without_cancelling_the_shared_call()
    {
        await using var api = new TestApi();
        using var first = await LeavingCaller.StartWithItsCallHeldAsync(api);

        var others = Enumerable.Range(0, 20).Select(_ => api.GetAsync("/api/me", "tok3n")).ToArray();
        await api.Misses.WhenAtLeast(21);
        await first.LeaveAsync();

        var call = Assert.Single(api.TokenInfo.Requests);
        Assert.False(call.CancellationToken.IsCancellationRequested);
        Assert.All(others, other => Assert.False(other.IsCompleted));

        api.TokenInfo.ReleaseCalls();
        var responses = await Task.WhenAll(others);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(1, api.TokenInfo.Calls);
        DisposeAll(responses);
    }

    [Fact]
    public async Task A_shared_call_whose_only_waiter_left_still_completes_and_is_cached()
    {
        await using var api = new TestApi();
        using var first = await LeavingCaller.StartWithItsCallHeldAsync(api);

        await first.LeaveAsync();
        api.TokenInfo.ReleaseCalls();

        // The call was not cancelled: it answers and stores its result, which the next request finds, with or without joining it.
        using var next = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task The_shared_call_times_out_on_its_own_clock_not_with_the_first_caller()
    {
        // One long attempt, so that TokenInfoTimeout (5 s) is the shared call's only bound.
        await using var api = new TestApi().WithLongAttempts();
        api.TokenInfo.Hangs();
        using var first = await LeavingCaller.StartAsync(api);

        var second = api.GetAsync("/api/me", "tok3n");
        await api.Misses.WhenAtLeast(2);
        await first.LeaveAsync();
        var call = Assert.Single(api.TokenInfo.Requests);

        api.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(call.CancellationToken.IsCancellationRequested);
        Assert.False(second.IsCompleted);

        api.Time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await second;

        Assert.True(call.CancellationToken.IsCancellationRequested);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))] // something broke inside the call
    [InlineData(typeof(HttpRequestException))] // the connection was reset
    [InlineData(typeof(TaskCanceledException))] // someone else cancelled the call
    public async Task A_shared_call_that_throws_gives_every_waiter_503_never_an_exception(Type thrown)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Throwing(() => (Exception)Activator.CreateInstance(thrown, "The call failed.")!));
        api.TokenInfo.HoldCalls();

        var requests = Enumerable.Range(0, 50).Select(_ => api.GetAsync("/api/me", "tok3n")).ToArray();
        await api.TokenInfo.WhenCallsArrived(1);
        await api.Misses.WhenAtLeast(50);
        api.TokenInfo.ReleaseCalls();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode));
        Assert.All(responses, response => Assert.Equal("5", response.RetryAfter()));
        Assert.InRange(api.TokenInfo.Calls, 1, 2); // one call, retried once when the failure is transient
        DisposeAll(responses);

        // Nothing but this second's memory of the failure is kept, and nothing is left running: the next request a second later asks again.
        var callsSoFar = api.TokenInfo.Calls;
        api.Time.Advance(TimeSpan.FromSeconds(1));
        api.TokenInfo.AnswersValid();
        using var next = await api.GetAsync("/api/me", "tok3n");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(callsSoFar + 1, api.TokenInfo.Calls);
    }

    // Every request of a test comes from one client; these make more new tokens than one client may bring in a minute.
    private static void WithoutCallerBudget(JoinMeOptions options) => options.MaxCacheMissesPerCallerPerMinute = 0;

    private static void DisposeAll(IEnumerable<HttpResponseMessage> responses)
    {
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// <see cref="Rounds"/> rounds on one app without a caller budget, each sending <see cref="Requests"/> requests with a new token the way
    /// <paramref name="sendAll"/> does: every request is answered 200, and each round adds exactly one tokenInfo call, about its own token.
    /// </summary>
    private static async Task EachRoundMakesOneTokenInfoCallAsync(Func<TestApi, int, string, Task<HttpResponseMessage[]>> sendAll)
    {
        await using var api = new TestApi().Configure(WithoutCallerBudget);
        api.Start();

        for (var round = 1; round <= Rounds; round++)
        {
            var token = Tokens.New();

            var responses = await sendAll(api, round, token);

            Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
            Assert.Equal(round, api.TokenInfo.Calls);
            Assert.Equal(token, api.TokenInfo.Requests[^1].Token);
            DisposeAll(responses);
        }
    }

    /// <summary>The first request with "tok3n": it starts the shared call, and its caller gives up when told to.</summary>
    private sealed class LeavingCaller : IDisposable
    {
        private readonly TestApi _api;
        private readonly CancellationTokenSource _leaving = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        private readonly Task<HttpResponseMessage> _request;

        private LeavingCaller(TestApi api)
        {
            _api = api;
            _request = api.GetCancellableAsync("/api/me", "tok3n", _leaving.Token);
        }

        /// <summary>Sends the request, and returns once its tokenInfo call has arrived.</summary>
        public static async Task<LeavingCaller> StartAsync(TestApi api)
        {
            var caller = new LeavingCaller(api);
            await api.TokenInfo.WhenCallsArrived(1);
            return caller;
        }

        /// <summary>Holds tokenInfo's calls at the gate, then sends the request, and returns once its call has arrived there.</summary>
        public static Task<LeavingCaller> StartWithItsCallHeldAsync(TestApi api)
        {
            api.TokenInfo.HoldCalls();
            return StartAsync(api);
        }

        /// <summary>Gives up: the client sees its request cancelled, and the server has finished with it.</summary>
        public async Task LeaveAsync()
        {
            await _leaving.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _request);
            await _api.Finished.WhenAtLeast(1);
        }

        public void Dispose() => _leaving.Dispose();
    }
}
