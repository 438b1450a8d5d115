using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// One scheme's protection of its tokenInfo calls: a concurrency limit with a bounded queue, then retry, circuit breaker and a
/// per-attempt timeout (Polly v8). Every way it can refuse or fail becomes an unavailable answer, never an exception.
/// </summary>
internal sealed class TokenInfoResilience : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ResiliencePipeline<TokenInfoAnswer> _pipeline;
    private volatile CircuitState _circuitState = CircuitState.Closed;

    public TokenInfoResilience(JoinMeOptions options)
    {
        var resilience = options.Resilience;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = resilience.MaxConcurrentCalls,
            QueueLimit = resilience.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        var builder = new ResiliencePipelineBuilder<TokenInfoAnswer> { TimeProvider = options.TimeProvider };
        if (resilience.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<TokenInfoAnswer>
            {
                MaxRetryAttempts = resilience.MaxRetryAttempts,
                Delay = resilience.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<TokenInfoAnswer>
        {
            FailureRatio = resilience.CircuitBreakerFailureRatio,
            MinimumThroughput = resilience.CircuitBreakerMinimumThroughput,
            SamplingDuration = resilience.CircuitBreakerSamplingDuration,
            BreakDuration = resilience.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) || args.Outcome.Result.FailureReason == JoinMeFailureReason.RateLimited),
            OnOpened = _ => SetState(CircuitState.Open),
            OnHalfOpened = _ => SetState(CircuitState.HalfOpen),
            OnClosed = _ => SetState(CircuitState.Closed),
        });

        builder.AddTimeout(resilience.AttemptTimeout);
        _pipeline = builder.Build();
    }

    /// <summary>Whether calls now pass (closed), are refused (open), or one is testing the water (half-open).</summary>
    public CircuitState CircuitState => _circuitState;

    public async Task<TokenInfoAnswer> ExecuteAsync<TState>(
        Func<TState, CancellationToken, Task<TokenInfoAnswer>> call, TState state, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.Throttled);
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, ct) => await context.call(context.state, ct).ConfigureAwait(false),
                (call, state),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.Throttled);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or HttpRequestException or IOException)
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.ServiceUnavailable);
        }
    }

    public void Dispose() => _limiter.Dispose();

    private ValueTask SetState(CircuitState state)
    {
        _circuitState = state;
        return ValueTask.CompletedTask;
    }

    private static bool IsTransient(Outcome<TokenInfoAnswer> outcome) =>
        outcome.Exception is HttpRequestException or IOException or TimeoutRejectedException
        || (outcome.Exception is null && outcome.Result.FailureReason == JoinMeFailureReason.ServiceUnavailable);
}
