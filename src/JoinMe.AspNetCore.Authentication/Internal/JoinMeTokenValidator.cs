using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Decides whether a token is valid: from the cache when it can, otherwise through one tokenInfo call shared by every
/// request that carries the same token, whose answer it judges and caches.
/// </summary>
internal sealed class JoinMeTokenValidator(
    IJoinMeTokenCache cache,
    TokenInfoClient tokenInfoClient,
    TokenInfoCallCoalescer coalescer,
    TokenInfoResilienceRegistry resilience,
    JoinMeTelemetry telemetry,
    ILogger<JoinMeTokenValidator> logger)
{
    public ValueTask<JoinMeTokenValidationResult> ValidateAsync(
        AuthenticationScheme scheme,
        JoinMeOptions options,
        JoinMeEvents events,
        string token,
        CancellationToken requestAborted) =>
        ValidateAsync(scheme, options, events, token.AsMemory(), requestAborted);

    /// <summary>Validates a token given as a slice of the request's header: it is copied into a string only on a cache miss.</summary>
    public ValueTask<JoinMeTokenValidationResult> ValidateAsync(
        AuthenticationScheme scheme,
        JoinMeOptions options,
        JoinMeEvents events,
        ReadOnlyMemory<char> token,
        CancellationToken requestAborted)
    {
        var key = JoinMeTokenCacheKey.Create(scheme.Name, token.Span);
        var lookup = cache.GetAsync(key, requestAborted);
        if (lookup.IsCompletedSuccessfully)
        {
            var cached = lookup.Result;
            if (IsUsable(cached, options))
            {
                telemetry.CacheHit(scheme.Name);
                return new(cached!);
            }
        }

        return ValidateSlowlyAsync(lookup, new Call(key, scheme, options, events, token.ToString()), requestAborted);
    }

    private async ValueTask<JoinMeTokenValidationResult> ValidateSlowlyAsync(
        ValueTask<JoinMeTokenValidationResult?> lookup, Call call, CancellationToken requestAborted)
    {
        if (!lookup.IsCompletedSuccessfully)
        {
            var cached = await ReadCacheAsync(lookup, call.Scheme).ConfigureAwait(false);
            if (IsUsable(cached, call.Options))
            {
                telemetry.CacheHit(call.Scheme.Name);
                return cached!;
            }
        }

        telemetry.CacheMiss(call.Scheme.Name);
        var shared = coalescer.GetOrStart(call.Key, call, CallTokenInfoAsync, LogCallFailure, out var joined);
        if (joined)
        {
            telemetry.MergedWaiter(call.Scheme.Name);
        }

        return await shared.WaitAsync(requestAborted).ConfigureAwait(false);
    }

    private async Task<JoinMeTokenValidationResult> CallTokenInfoAsync(Call call)
    {
        var options = call.Options;
        var cached = await ReadCacheAsync(cache.GetAsync(call.Key), call.Scheme).ConfigureAwait(false);
        if (IsUsable(cached, options))
        {
            return cached!;
        }

        var answer = await AskTokenInfoAsync(call).ConfigureAwait(false);
        var result = await JudgeAsync(call, answer).ConfigureAwait(false);
        try
        {
            await StoreAsync(call, result).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A cache that cannot store costs a later call to tokenInfo, not this result.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.CacheWriteFailed(logger, call.Scheme.Name, exception.GetType().Name);
        }

        return result;
    }

    private async Task<TokenInfoAnswer> AskTokenInfoAsync(Call call)
    {
        var options = call.Options;
        var started = options.TimeProvider!.GetTimestamp();
        using var activity = JoinMeTelemetry.ActivitySource.StartActivity("JoinMe tokenInfo", ActivityKind.Client);
        activity?.SetTag("joinme.scheme", call.Scheme.Name);

        TokenInfoAnswer answer;
        using (var timeout = new CancellationTokenSource(options.TokenInfoTimeout, options.TimeProvider))
        {
            try
            {
                answer = await resilience.For(call.Scheme.Name, options).ExecuteAsync(
                    static (state, cancellationToken) => state.Client.GetAsync(state.Call.Options, state.Call.Token, cancellationToken),
                    (Client: tokenInfoClient, Call: call),
                    timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
                Log.TokenInfoCallFailed(logger, call.Scheme.Name, exception.GetType().Name);
                answer = TokenInfoAnswer.Failed(JoinMeFailureReason.ServiceUnavailable);
            }
        }

        var result = JoinMeTelemetry.ResultName(answer.FailureReason);
        activity?.SetTag("joinme.tokeninfo.result", result);
        if (answer.FailureReason is not (JoinMeFailureReason.None or JoinMeFailureReason.InvalidToken))
        {
            activity?.SetStatus(ActivityStatusCode.Error, result);
        }

        telemetry.TokenInfoCalled(call.Scheme.Name, answer.FailureReason, options.TimeProvider.GetElapsedTime(started));
        return answer;
    }

    private async Task<JoinMeTokenValidationResult> JudgeAsync(Call call, TokenInfoAnswer answer)
    {
        if (answer.TokenInfo is null)
        {
            return JoinMeTokenValidationResult.Failed(answer.FailureReason);
        }

        var received = new TokenInfoReceivedContext(call.Scheme, call.Options, answer.TokenInfo);
        await call.Events.TokenInfoReceived(received).ConfigureAwait(false);
        var tokenInfo = received.TokenInfo ?? answer.TokenInfo;
        var options = call.Options;

        if (received.IsRejected)
        {
            return JoinMeTokenValidationResult.Failed(JoinMeFailureReason.InvalidToken);
        }

        if (tokenInfo.ClientId is null || !options.AllowedClientIdSet.Contains(tokenInfo.ClientId))
        {
            return JoinMeTokenValidationResult.Failed(JoinMeFailureReason.ClientNotAllowed);
        }

        if (tokenInfo.ExpiresAt is { } expiresAt && expiresAt - options.ClockSkew <= options.TimeProvider!.GetUtcNow())
        {
            return JoinMeTokenValidationResult.Failed(JoinMeFailureReason.Expired);
        }

        return JoinMeTokenValidationResult.Valid(tokenInfo);
    }

    private ValueTask StoreAsync(Call call, JoinMeTokenValidationResult result)
    {
        var options = call.Options;
        var now = options.TimeProvider!.GetUtcNow();
        DateTimeOffset until;
        switch (result.Outcome)
        {
            case JoinMeTokenValidationOutcome.Valid:
                until = result.TokenInfo!.ExpiresAt is { } expiresAt ? expiresAt - options.ClockSkew : now + options.NoExpiryCacheDuration;
                if (options.MaxCacheDuration is { } max && until > now + max)
                {
                    until = now + max;
                }

                break;
            case JoinMeTokenValidationOutcome.Rejected:
                until = now + options.RejectedTokenCacheDuration;
                break;
            default:
                Log.TokenInfoUnavailable(logger, call.Scheme.Name, result.FailureReason);
                return ValueTask.CompletedTask;
        }

        return until > now ? cache.SetAsync(call.Key, result, until) : ValueTask.CompletedTask;
    }

    private async ValueTask<JoinMeTokenValidationResult?> ReadCacheAsync(ValueTask<JoinMeTokenValidationResult?> lookup, AuthenticationScheme scheme)
    {
        try
        {
            return await lookup.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A cache that fails is a cache miss: the token is validated without it.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.CacheReadFailed(logger, scheme.Name, exception.GetType().Name);
            return null;
        }
    }

    private void LogCallFailure(Exception exception, Call call) =>
        Log.TokenInfoCallCrashed(logger, call.Scheme.Name, exception.GetType().Name);

    private static bool IsUsable(JoinMeTokenValidationResult? result, JoinMeOptions options) =>
        result is not null
        && (result.TokenInfo?.ExpiresAt is not { } expiresAt || options.TimeProvider!.GetUtcNow() < expiresAt - options.ClockSkew);

    private sealed record Call(JoinMeTokenCacheKey Key, AuthenticationScheme Scheme, JoinMeOptions Options, JoinMeEvents Events, string Token);
}
