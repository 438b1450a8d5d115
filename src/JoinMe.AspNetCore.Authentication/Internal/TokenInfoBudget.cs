using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// What a scheme may spend on tokenInfo: per caller, <see cref="JoinMeOptions.MaxCacheMissesPerCallerPerMinute"/> (so that one client's flood of junk
/// tokens cannot spend everyone's), and in all, <see cref="JoinMeOptions.MaxTokenInfoCallsPerSecond"/> (so that the app never trips join.me's gateway).
/// Sliding windows from System.Threading.RateLimiting, one pair per options instance (a reload makes new ones), all disposed with the app.
/// </summary>
internal sealed class TokenInfoBudget : IDisposable
{
    private readonly ConcurrentDictionary<JoinMeOptions, Limits> _limits = new(ReferenceEqualityComparer.Instance);

    /// <summary>Takes one call from the budgets, or says which budget is spent and, for a caller's, when to come back.</summary>
    public JoinMeFailureReason TryTake(JoinMeOptions options, HttpContext? caller, out TimeSpan? retryAfter)
    {
        var (perCaller, perSecond) = _limits.GetOrAdd(options, static options => new Limits(options));
        retryAfter = null;
        if (caller is not null && perCaller is not null)
        {
            using var lease = perCaller.AttemptAcquire(options.CallerPartitionKey(caller));
            if (!lease.IsAcquired)
            {
                retryAfter = TimeSpan.FromMinutes(1); // the window: by then every permit the caller spent is back
                return JoinMeFailureReason.CallerOverBudget;
            }
        }

        using var call = perSecond?.AttemptAcquire();
        return call is { IsAcquired: false } ? JoinMeFailureReason.Throttled : JoinMeFailureReason.None;
    }

    public void Dispose()
    {
        foreach (var (perCaller, perSecond) in _limits.Values)
        {
            perCaller?.Dispose();
            perSecond?.Dispose();
        }
    }

    private sealed record Limits(PartitionedRateLimiter<string>? PerCaller, RateLimiter? PerSecond)
    {
        public Limits(JoinMeOptions options)
            : this(
                options.MaxCacheMissesPerCallerPerMinute > 0
                    // The partitioned limiter replenishes every partition on one timer of its own, instead of a timer per caller.
                    ? PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetSlidingWindowLimiter(
                        caller, _ => Window(options.MaxCacheMissesPerCallerPerMinute, TimeSpan.FromMinutes(1), autoReplenishment: false)))
                    : null,
                options.MaxTokenInfoCallsPerSecond is { } perSecond ? new SlidingWindowRateLimiter(Window(perSecond, TimeSpan.FromSeconds(1), autoReplenishment: true)) : null)
        {
        }

        private static SlidingWindowRateLimiterOptions Window(int permits, TimeSpan window, bool autoReplenishment) =>
            new() { PermitLimit = permits, Window = window, SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = autoReplenishment };
    }
}
