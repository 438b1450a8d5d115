using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// The package's metrics (a <see cref="Meter"/> named <see cref="JoinMeAuthenticationDefaults.TelemetryName"/>) and its tracing source.
/// No instrument or tag carries a token or its hash.
/// </summary>
internal sealed class JoinMeTelemetry
{
    public static readonly ActivitySource ActivitySource = new(JoinMeAuthenticationDefaults.TelemetryName, typeof(JoinMeTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Counter<long> _validations;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _tokenInfoCalls;
    private readonly Histogram<double> _tokenInfoDuration;
    private readonly Counter<long> _mergedWaiters;

    public JoinMeTelemetry(IMeterFactory meterFactory, TokenInfoResilienceRegistry resilience)
    {
        var meter = meterFactory.Create(JoinMeAuthenticationDefaults.TelemetryName);
        _validations = meter.CreateCounter<long>("joinme.validations", "{validation}", "Tokens validated, by outcome (valid, rejected, unavailable).");
        _cacheHits = meter.CreateCounter<long>("joinme.cache.hits", "{lookup}", "Validations answered from the cache.");
        _cacheMisses = meter.CreateCounter<long>("joinme.cache.misses", "{lookup}", "Validations the cache could not answer.");
        _tokenInfoCalls = meter.CreateCounter<long>("joinme.tokeninfo.calls", "{call}", "Shared tokenInfo calls made, by result.");
        _tokenInfoDuration = meter.CreateHistogram<double>("joinme.tokeninfo.duration", "s", "How long shared tokenInfo calls took, retries included.");
        _mergedWaiters = meter.CreateCounter<long>("joinme.tokeninfo.merged_waiters", "{request}", "Requests that joined a tokenInfo call already under way.");
        meter.CreateObservableGauge(
            "joinme.tokeninfo.circuit_state",
            () => resilience.CircuitStates.Select(entry => new Measurement<int>(StateValue(entry.State), new KeyValuePair<string, object?>("scheme", entry.Scheme))),
            "{state}",
            "The tokenInfo circuit per scheme: 0 closed, 1 open, 2 half-open, 3 isolated.");
    }

    public void Validated(string scheme, JoinMeTokenValidationOutcome outcome) =>
        _validations.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));

    public void CacheHit(string scheme) => _cacheHits.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    public void CacheMiss(string scheme) => _cacheMisses.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    public void MergedWaiter(string scheme) => _mergedWaiters.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    public void TokenInfoCalled(string scheme, JoinMeFailureReason result, TimeSpan duration)
    {
        var schemeTag = new KeyValuePair<string, object?>("scheme", scheme);
        var resultTag = new KeyValuePair<string, object?>("result", ResultName(result));
        _tokenInfoCalls.Add(1, schemeTag, resultTag);
        _tokenInfoDuration.Record(duration.TotalSeconds, schemeTag, resultTag);
    }

    public static string OutcomeName(JoinMeTokenValidationOutcome outcome) => outcome switch
    {
        JoinMeTokenValidationOutcome.Valid => "valid",
        JoinMeTokenValidationOutcome.Rejected => "rejected",
        _ => "unavailable",
    };

    public static string ResultName(JoinMeFailureReason reason) => reason switch
    {
        JoinMeFailureReason.None => "answered",
        JoinMeFailureReason.InvalidToken => "invalid_token",
        JoinMeFailureReason.RateLimited => "rate_limited",
        JoinMeFailureReason.UnreadableResponse => "unreadable",
        JoinMeFailureReason.Throttled => "throttled",
        _ => "unavailable",
    };

    private static int StateValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.Open => 1,
        CircuitState.HalfOpen => 2,
        _ => 3,
    };
}
