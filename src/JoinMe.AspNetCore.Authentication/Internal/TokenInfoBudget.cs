using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// What a scheme may spend on tokenInfo: per caller, <see cref="JoinMeOptions.MaxCacheMissesPerCallerPerMinute"/> (so that one client's flood of junk
/// tokens cannot spend everyone's), and in all, <see cref="JoinMeOptions.MaxTokenInfoCallsPerSecond"/> (so that the app never trips join.me's gateway).
/// Both are sliding windows from System.Threading.RateLimiting, made anew when the scheme's options are reloaded.
/// </summary>
internal sealed class TokenInfoBudget : IDisposable
{
    private readonly ConcurrentDictionary<string, Limits> _bySchemes = new(StringComparer.Ordinal);

    /// <summary>Takes one call from the budgets, or says which budget is spent and when to come back.</summary>
    public JoinMeFailureReason TryTake(string scheme, JoinMeOptions options, HttpContext? caller, out TimeSpan? retryAfter)
    {
        var limits = For(scheme, options);
        retryAfter = null;
        if (caller is not null && limits.PerCaller is { } perCaller)
        {
            using var lease = perCaller.AttemptAcquire(options.CallerPartitionKey(caller));
            if (!lease.IsAcquired)
            {
                retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                return JoinMeFailureReason.CallerOverBudget;
            }
        }

        if (limits.PerSecond is { } perSecond)
        {
            using var lease = perSecond.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return JoinMeFailureReason.Throttled;
            }
        }

        return JoinMeFailureReason.None;
    }

    public void Dispose()
    {
        foreach (var limits in _bySchemes.Values)
        {
            limits.Dispose();
        }
    }

    private Limits For(string scheme, JoinMeOptions options)
    {
        if (_bySchemes.TryGetValue(scheme, out var limits) && ReferenceEquals(limits.Options, options))
        {
            return limits;
        }

        var created = new Limits(options);
        var replaced = _bySchemes.AddOrUpdate(scheme, created, (_, old) => ReferenceEquals(old.Options, options) ? old : created);
        if (!ReferenceEquals(replaced, created))
        {
            created.Dispose();
        }
        else if (limits is not null)
        {
            limits.Dispose();
        }

        return replaced;
    }

    private sealed class Limits(JoinMeOptions options) : IDisposable
    {
        public JoinMeOptions Options { get; } = options;

        public PartitionedRateLimiter<string>? PerCaller { get; } = options.MaxCacheMissesPerCallerPerMinute > 0
            ? PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetSlidingWindowLimiter(caller, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.MaxCacheMissesPerCallerPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 12,
                QueueLimit = 0,
                // The partitioned limiter replenishes its partitions itself, on one timer for all of them.
                AutoReplenishment = false,
            }))
            : null;

        public RateLimiter? PerSecond { get; } = options.MaxTokenInfoCallsPerSecond is { } perSecond
            ? new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perSecond,
                Window = TimeSpan.FromSeconds(1),
                SegmentsPerWindow = 10,
                QueueLimit = 0,
            })
            : null;

        public void Dispose()
        {
            PerCaller?.Dispose();
            PerSecond?.Dispose();
        }
    }
}
