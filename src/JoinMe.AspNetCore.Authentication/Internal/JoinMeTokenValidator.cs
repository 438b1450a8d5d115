using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Decides whether a token is valid: from what is cached about it when that is fresh enough for this scheme, otherwise from one tokenInfo call shared
/// by every request that carries the same token at once (on every instance, with a shared tier). Either way the facts are judged against this scheme's
/// options and events on every request, so no cached entry can carry one scheme's or app's verdict into another.
/// </summary>
internal sealed class JoinMeTokenValidator(
    JoinMeTokenCache tokens,
    TokenInfoClient tokenInfo,
    TokenInfoBudget budget,
    JoinMeTelemetry telemetry,
    TimeProvider time,
    ILogger<JoinMeTokenValidator> logger)
{
    // How long "join.me could not be asked" is shared: with requests already waiting for the same call, and for a second after, on this instance only.
    // Judged on the app's clock like everything else; the cache drops such an entry a little later by its own.
    private static readonly TimeSpan UnavailableMemory = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan UnavailableEntryLifetime = TimeSpan.FromSeconds(10);

    private readonly IFusionCache _cache = tokens.Cache;

    private readonly FusionCacheEntryOptions _localOnly = tokens.Cache.CreateEntryOptions(options =>
    {
        options.SkipDistributedCacheRead = true;
        options.SkipDistributedCacheWrite = true;
        options.SkipBackplaneNotifications = true;
    });

    // A memory-tier hit is read synchronously: 62 ns and 80 B less than TryGetAsync (HotPathPartsBenchmarks), and it never waits on the shared tier.
    private readonly FusionCacheEntryOptions _memoryOnly = tokens.Cache.CreateEntryOptions(options => options.SkipDistributedCacheRead = true);

    public async ValueTask<Verdict> ValidateAsync(HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeEvents events, ReadOnlyMemory<char> token)
    {
        var key = JoinMeTokenCache.KeyOf(options.Authority, token.Span);
        var facts = await ReadAsync(key, context.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (facts is not null && IsFresh(facts, options, now))
        {
            telemetry.CacheHit(scheme.Name);
        }
        else
        {
            telemetry.CacheMiss(scheme.Name);
            facts = await FetchAsync(key, facts, context, scheme.Name, options, token.ToString()).ConfigureAwait(false);
            now = time.GetUtcNow();
        }

        return await JudgeAsync(facts, context, scheme, options, events, now).ConfigureAwait(false);
    }

    private async ValueTask<TokenFacts?> ReadAsync(string key, CancellationToken requestAborted)
    {
        try
        {
            var facts = _cache.TryGet<TokenFacts>(key, _memoryOnly, requestAborted).GetValueOrDefault();
            return facts is null && _cache.HasDistributedCache
                ? (await _cache.TryGetAsync<TokenFacts>(key, token: requestAborted).ConfigureAwait(false)).GetValueOrDefault()
                : facts;
        }
        catch (Exception exception) when (!requestAborted.IsCancellationRequested)
        {
            Log.CacheReadFailed(logger, exception.GetType().Name); // a cache that fails is a miss
            return null;
        }
    }

    private async ValueTask<TokenFacts> FetchAsync(string key, TokenFacts? stale, HttpContext context, string scheme, JoinMeOptions options, string token)
    {
        try
        {
            if (stale is not null)
            {
                // Fresh enough for the scheme that wrote it but not for this one, or the memory of an outage is over: ask again.
                await _cache.ExpireAsync(key, Failure.Of(stale.Reason).IsUnavailable ? _localOnly : null, context.RequestAborted).ConfigureAwait(false);
            }

            // The shared call runs apart from this request: a waiter that leaves does not cancel it for the others; TokenInfoTimeout ends it.
            return await _cache.GetOrSetAsync<TokenFacts>(
                    key,
                    (entry, _) => AskTokenInfoAsync(entry, context, scheme, options, token),
                    token: CancellationToken.None)
                .AsTask().WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            Log.LookupFailed(logger, scheme, exception.GetType().Name);
            return new TokenFacts(JoinMeFailureReason.ServiceUnavailable, null, time.GetUtcNow());
        }
    }

    private async Task<TokenFacts> AskTokenInfoAsync(FusionCacheFactoryExecutionContext<TokenFacts> entry, HttpContext context, string scheme, JoinMeOptions options, string token)
    {
        var facts = budget.TryTake(options, context, out var retryAfter) is var spent and not JoinMeFailureReason.None
            ? new TokenFacts(spent, null, time.GetUtcNow(), retryAfter)
            : await CallAsync(scheme, options, token).ConfigureAwait(false);
        if (facts.Reason == JoinMeFailureReason.CallerOverBudget)
        {
            // One caller's spent budget is not another's: a request of another caller waiting for the same token asks for itself.
            entry.Options.SkipMemoryCacheWrite = true;
            entry.Options.SkipDistributedCacheWrite = true;
            entry.Options.SkipBackplaneNotifications = true;
            return facts;
        }

        var lifetime = Failure.Of(facts.Reason).IsUnavailable ? UnavailableEntryLifetime : LifetimeOf(facts, options);
        entry.Options.Duration = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromTicks(1);
        entry.Options.SkipMemoryCacheWrite = lifetime <= TimeSpan.Zero;
        if (Failure.Of(facts.Reason).IsUnavailable || lifetime <= TimeSpan.Zero)
        {
            entry.Options.SkipDistributedCacheWrite = true;
            entry.Options.SkipBackplaneNotifications = true;
        }

        return facts;
    }

    private async Task<TokenFacts> CallAsync(string scheme, JoinMeOptions options, string token)
    {
        var started = time.GetTimestamp();
        using var activity = JoinMeTelemetry.ActivitySource.StartActivity("JoinMe tokenInfo", ActivityKind.Client);
        activity?.SetTag("joinme.scheme", scheme);
        TokenFacts facts;
        using (var timeout = new CancellationTokenSource(options.TokenInfoTimeout, time))
        {
            try
            {
                facts = await tokenInfo.GetAsync(options, token, time, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // However the call fails (a refused connection, a timeout, an open circuit, a bug below), the token could not be judged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.TokenInfoCallFailed(logger, scheme, exception.GetType().Name);
                var reason = exception is BrokenCircuitException or RateLimiterRejectedException ? JoinMeFailureReason.Throttled : JoinMeFailureReason.ServiceUnavailable;
                facts = new TokenFacts(reason, null, time.GetUtcNow());
            }
        }

        var failure = Failure.Of(facts.Reason);
        var result = facts.Reason == JoinMeFailureReason.None ? "answered" : failure.Tag;
        activity?.SetTag("joinme.tokeninfo.result", result);
        if (failure.IsUnavailable)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result);
            Log.TokenInfoUnavailable(logger, scheme, facts.Reason);
        }

        telemetry.TokenInfoCalled(scheme, result, time.GetElapsedTime(started));
        return facts;
    }

    /// <summary>How long these facts are kept: the longest any scheme could use them; each reader checks its own limits on top.</summary>
    private TimeSpan LifetimeOf(TokenFacts facts, JoinMeOptions options)
    {
        var now = time.GetUtcNow();
        var lifetime = facts.Reason switch
        {
            JoinMeFailureReason.None when facts.Info?.ExpiresAt is { } expiresAt => expiresAt - now > options.MaxCacheDuration ? options.MaxCacheDuration : expiresAt - now,
            JoinMeFailureReason.None => options.NoExpiryCacheDuration,
            _ => options.RejectedTokenCacheDuration,
        };
        return lifetime > TimeSpan.Zero ? lifetime : facts.Reason == JoinMeFailureReason.None ? options.RejectedTokenCacheDuration : TimeSpan.Zero;
    }

    /// <summary>Whether facts (perhaps written by another scheme or app) are recent enough for this scheme to judge without asking again.</summary>
    private static bool IsFresh(TokenFacts facts, JoinMeOptions options, DateTimeOffset now)
    {
        var age = now - facts.FetchedAt;
        return facts.Reason switch
        {
            JoinMeFailureReason.None => age < options.MaxCacheDuration && (facts.Info?.ExpiresAt is not null || age < options.NoExpiryCacheDuration),
            JoinMeFailureReason.InvalidToken => age < options.RejectedTokenCacheDuration,
            JoinMeFailureReason.Revoked => true,
            _ => age < UnavailableMemory,
        };
    }

    private async ValueTask<Verdict> JudgeAsync(TokenFacts facts, HttpContext context, AuthenticationScheme scheme, JoinMeOptions options, JoinMeEvents events, DateTimeOffset now)
    {
        if (facts.Reason != JoinMeFailureReason.None || facts.Info is null)
        {
            return new Verdict(facts.Reason == JoinMeFailureReason.None ? JoinMeFailureReason.UnreadableResponse : facts.Reason, null, facts.RetryAfter);
        }

        var received = new TokenInfoReceivedContext(context, scheme, options, facts.Info);
        try
        {
            await events.TokenInfoReceived(received).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A bug in the app's event must not turn into a 500 for every request with the token: it could not be judged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.LookupFailed(logger, scheme.Name, exception.GetType().Name);
            return new Verdict(JoinMeFailureReason.ServiceUnavailable, null, null);
        }

        var info = received.TokenInfo ?? facts.Info;
        var reason = received.IsRejected ? JoinMeFailureReason.InvalidToken
            : info.ClientId is null || !options.AllowedClientIds.Contains(info.ClientId) ? JoinMeFailureReason.ClientNotAllowed
            // Compared without subtracting, so that an expiry at DateTimeOffset.MinValue is simply expired.
            : info.ExpiresAt is { } expiresAt && expiresAt <= now + options.ClockSkew ? JoinMeFailureReason.Expired
            : JoinMeFailureReason.None;
        return new Verdict(reason, reason == JoinMeFailureReason.None ? info : null, null);
    }
}

/// <summary>How a token was judged: <see cref="JoinMeFailureReason.None"/> with what tokenInfo said, or why not, with when to retry if that helps.</summary>
internal readonly record struct Verdict(JoinMeFailureReason Reason, JoinMeTokenInfo? TokenInfo, TimeSpan? RetryAfter);
