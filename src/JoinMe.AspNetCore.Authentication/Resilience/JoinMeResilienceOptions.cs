namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// How calls to tokenInfo survive a slow or failing join.me: a cap on simultaneous calls, a per-attempt timeout, one retry of
/// transient failures, and a circuit breaker. The whole call is bounded by <see cref="JoinMeOptions.TokenInfoTimeout"/>.
/// Set under <c>Authentication:Schemes:{scheme}:Resilience</c> in configuration.
/// </summary>
public class JoinMeResilienceOptions
{
    /// <summary>How long one attempt may take. Default: 2 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a transient failure (5xx, connection failure, attempt timeout) is retried. Default: 1. Zero turns retries off.</summary>
    public int MaxRetryAttempts { get; set; } = 1;

    /// <summary>The pause before a retry. Default: none, since the one retry is for a dropped connection or a passing error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The share of failed calls, within <see cref="CircuitBreakerSamplingDuration"/>, that opens the circuit. Default: 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many calls must be seen within the sampling duration before the circuit may open. Default: 10.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted. Default: 30 seconds.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the circuit stays open. While it is open, a request with an uncached token gets 503 at once, without touching the network;
    /// cached tokens keep working. Default: 10 seconds.
    /// </summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most tokenInfo calls in flight at once for the scheme. Default: 32.</summary>
    public int MaxConcurrentCalls { get; set; } = 32;

    /// <summary>
    /// How many more calls may wait for a free slot (never longer than <see cref="JoinMeOptions.TokenInfoTimeout"/>); beyond that, 503 at once.
    /// Default: 512.
    /// </summary>
    public int MaxQueuedCalls { get; set; } = 512;
}
