using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reports whether a scheme's tokenInfo endpoint answers, by asking about a probe token that cannot be valid through the same client (resilience,
/// circuit breaker) and the same ceiling on calls as validation. An answer the handler could use (an object or a rejection) is healthy. One probe
/// serves every check for a few seconds, so that probing cannot be used to spend join.me's budget.
/// </summary>
internal sealed class JoinMeTokenInfoHealthCheck(string scheme, IOptionsMonitor<JoinMeOptions> optionsMonitor, TokenInfoClient client, TokenInfoBudget budget, TimeProvider time)
    : IHealthCheck
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private Task<(bool Healthy, string Description)>? _probe;
    private DateTimeOffset _probedAt;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<(bool Healthy, string Description)> probe;
        lock (_lock)
        {
            if (_probe is null || (_probe.IsCompleted && time.GetUtcNow() - _probedAt >= Reuse))
            {
                _probedAt = time.GetUtcNow();
                _probe = ProbeAsync();
            }

            probe = _probe;
        }

        var (healthy, description) = await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new HealthCheckResult(healthy ? HealthStatus.Healthy : context.Registration.FailureStatus, $"Scheme {scheme}: {description}");
    }

    private async Task<(bool, string)> ProbeAsync()
    {
        var options = optionsMonitor.Get(scheme);
        if (budget.TryTake(options, caller: null, out _) != JoinMeFailureReason.None)
        {
            return (false, "not probed: the ceiling on tokenInfo calls per second is reached.");
        }

        using var timeout = new CancellationTokenSource(options.TokenInfoTimeout, time);
        try
        {
            var facts = await client.GetAsync(options, "health-probe", time, timeout.Token).ConfigureAwait(false);
            return (facts.Reason is JoinMeFailureReason.None or JoinMeFailureReason.InvalidToken, $"tokenInfo answered ({Failure.Of(facts.Reason).Tag}).");
        }
#pragma warning disable CA1031 // Every way the call can fail (timeouts, an open circuit, a refused connection) is what this check reports.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (false, $"tokenInfo could not be reached ({exception.GetType().Name}).");
        }
    }
}
