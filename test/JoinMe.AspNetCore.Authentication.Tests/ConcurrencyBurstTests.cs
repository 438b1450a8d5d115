namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>
/// Cold bursts through the sample: many simultaneous requests carrying one token nobody has seen must make one tokenInfo call between them.
/// tokenInfo holds each call until every request of the burst has missed the cache (the <c>joinme.cache.misses</c> metric: from then on a
/// request asks, waits for the call under way, or finds its answer), so that the whole burst is in flight at once. bench/cold-bursts.sh runs
/// this test with many more bursts, and prints its result line. It runs alone, as the other concurrency tests do.
/// </summary>
[Collection(nameof(ConcurrencyTests))]
public sealed class ConcurrencyBurstTests
{
    /// <summary>Set <c>JOINME_COLD_BURSTS</c> to run another number of bursts (bench/cold-bursts.sh does: 1,000 by default).</summary>
    public const string BurstsVariable = "JOINME_COLD_BURSTS";

    // A short run in the suite, whose concurrency tests repeat bursts too; bench/cold-bursts.sh runs 1,000.
    private const int DefaultBursts = 20;
    private const int RequestsPerBurst = 200;

    [Fact]
    public async Task Every_burst_of_simultaneous_requests_with_a_new_token_makes_exactly_one_tokenInfo_call()
    {
        var bursts = int.TryParse(Environment.GetEnvironmentVariable(BurstsVariable), CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : DefaultBursts;

        // Every burst brings a new token, all from the one test client: its budget of new tokens per minute is off.
        await using var api = new TestApi().Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0);
        api.Start();
        var wrong = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var burst = 0; burst < bursts; burst++)
        {
            var token = Tokens.New();
            var (callsBefore, missesBefore) = (api.TokenInfo.Calls, api.Misses.Value);
            api.TokenInfo.HoldCalls();

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var requests = Enumerable.Range(0, RequestsPerBurst).Select(async _ =>
            {
                await start.Task;
                using var response = await api.GetAsync("/api/me", token);
                return response.StatusCode;
            }).ToArray();
            start.SetResult();
            await api.TokenInfo.WhenCallsArrived(callsBefore + 1);
            await api.Misses.WhenAtLeast(missesBefore + RequestsPerBurst);
            api.TokenInfo.ReleaseCalls();
            var statuses = await Task.WhenAll(requests);

            var calls = api.TokenInfo.CallsFor(token);
            var failed = statuses.Count(status => status != HttpStatusCode.OK);
            if (calls != 1 || failed > 0)
            {
                wrong.Add($"burst {burst}: {calls} tokenInfo call(s), {failed} request(s) not 200 ({string.Join(", ", statuses.Distinct())})");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"cold bursts: {bursts - wrong.Count}/{bursts} bursts of {RequestsPerBurst} simultaneous requests made exactly one tokenInfo call " +
            $"({api.TokenInfo.Calls} calls in all, {clock.Elapsed.TotalSeconds:F1} s)");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Take(10)));
        Assert.Equal(bursts, api.TokenInfo.Calls);
    }
}
