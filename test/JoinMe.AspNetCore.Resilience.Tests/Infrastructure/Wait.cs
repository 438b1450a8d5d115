using Microsoft.Extensions.Time.Testing;

namespace JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

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
    /// Moves fake time forward in <paramref name="step"/>s, letting the system run between steps, until every task has finished or
    /// <paramref name="limit"/> of fake time has passed. Returns how much fake time it took.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilDoneAsync(FakeTimeProvider time, IReadOnlyCollection<Task> tasks, TimeSpan step, TimeSpan limit)
    {
        var started = time.GetUtcNow();
        var guard = DateTime.UtcNow + HangGuard;
        while (!tasks.All(task => task.IsCompleted))
        {
            var elapsed = time.GetUtcNow() - started;
            if (elapsed >= limit || DateTime.UtcNow > guard)
            {
                Assert.Fail($"{tasks.Count(task => !task.IsCompleted)} request(s) still running after {elapsed} of fake time.");
            }

            // Let the requests reach their next timer before the clock moves.
            await Task.Delay(2, TestContext.Current.CancellationToken);
            time.Advance(step);
        }

        return time.GetUtcNow() - started;
    }
}
