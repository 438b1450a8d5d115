using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// The package's metrics (a <see cref="Meter"/> named <see cref="JoinMeAuthenticationDefaults.TelemetryName"/>) and its tracing source.
/// No instrument or tag carries a token, its hash or a cache key. The tokenInfo client's resilience (circuit breaker, retries) reports through
/// Polly's own telemetry.
/// </summary>
internal sealed class JoinMeTelemetry
{
    public static readonly ActivitySource ActivitySource = new(JoinMeAuthenticationDefaults.TelemetryName, typeof(JoinMeTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Counter<long> _validations;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _tokenInfoCalls;
    private readonly Histogram<double> _tokenInfoDuration;

    public JoinMeTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JoinMeAuthenticationDefaults.TelemetryName);
        _validations = meter.CreateCounter<long>("joinme.validations", "{validation}", "Tokens validated, by outcome (valid, rejected, unavailable) and reason.");
        _cacheHits = meter.CreateCounter<long>("joinme.cache.hits", "{lookup}", "Validations answered from what was cached about the token.");
        _cacheMisses = meter.CreateCounter<long>("joinme.cache.misses", "{lookup}", "Validations that had to ask tokenInfo or wait for a call under way.");
        _tokenInfoCalls = meter.CreateCounter<long>("joinme.tokeninfo.calls", "{call}", "tokenInfo calls made, by result.");
        _tokenInfoDuration = meter.CreateHistogram<double>("joinme.tokeninfo.duration", "s", "How long tokenInfo calls took, retries included.");
    }

    public void Validated(string scheme, Failure failure) => _validations.Add(
        1,
        new KeyValuePair<string, object?>("scheme", scheme),
        new KeyValuePair<string, object?>("outcome", failure.Outcome),
        new KeyValuePair<string, object?>("reason", failure.Tag));

    public void CacheHit(string scheme) => _cacheHits.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    public void CacheMiss(string scheme) => _cacheMisses.Add(1, new KeyValuePair<string, object?>("scheme", scheme));

    public void TokenInfoCalled(string scheme, string result, TimeSpan duration)
    {
        var schemeTag = new KeyValuePair<string, object?>("scheme", scheme);
        var resultTag = new KeyValuePair<string, object?>("result", result);
        _tokenInfoCalls.Add(1, schemeTag, resultTag);
        _tokenInfoDuration.Record(duration.TotalSeconds, schemeTag, resultTag);
    }
}
