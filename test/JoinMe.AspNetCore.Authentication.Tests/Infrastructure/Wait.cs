namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// Waits for the system under test to reach a state. The waits poll; they never decide an outcome by wall-clock time, and give up only
/// after a generous guard, so that a hang fails the test instead of blocking the run.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var guard = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            if (DateTime.UtcNow > guard)
            {
                Assert.Fail($"Gave up waiting for: {what}.");
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test if it has not finished within the hang guard.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Hung: {what}.");
            throw;
        }
    }

    /// <summary>
    /// Takes a tokenInfo call that never ends through both of its attempt timeouts (defaults: 2 s each, one retry): waits until the
    /// first attempt has reached tokenInfo (its timeouts are set by then), moves the clock past it, waits for the retry likewise,
    /// and moves the clock past that. Returns how much fake time that took.
    /// </summary>
    /// <param name="time">The fake time.</param>
    /// <param name="attemptTimeout">The scheme's Resilience.AttemptTimeout.</param>
    /// <param name="attempts">Counts the attempts of this call only, from zero.</param>
    public static async Task<TimeSpan> ThroughBothAttemptsAsync(FakeTimeProvider time, TimeSpan attemptTimeout, Func<long> attempts)
    {
        var started = time.GetUtcNow();
        await UntilAsync(() => attempts() == 1, "the first attempt");
        time.Advance(attemptTimeout);
        await UntilAsync(() => attempts() == 2, "the retry");
        time.Advance(attemptTimeout);
        return time.GetUtcNow() - started;
    }
}
