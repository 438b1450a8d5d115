using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reports whether a scheme's tokenInfo endpoint answers: it asks about a probe token that cannot be valid, and an answer the handler could
/// use (a tokenInfo object or a rejection, not a rate limit, redirect or server error) means join.me is reachable. An open circuit is
/// reported without a call.
/// </summary>
internal sealed class JoinMeTokenInfoHealthCheck(
    string scheme,
    IOptionsMonitor<JoinMeOptions> optionsMonitor,
    IHttpClientFactory httpClientFactory,
    TokenInfoResilienceRegistry resilience) : IHealthCheck
{
    private const string ProbeToken = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = optionsMonitor.Get(scheme);
        if (resilience.CircuitStateOf(scheme) == CircuitState.Open)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Scheme {scheme}: the circuit to tokenInfo is open after repeated failures.");
        }

        // The scheme's clock, as for the validation itself, so that a replaced TimeProvider governs this timeout too.
        using var timeout = new CancellationTokenSource(options.TokenInfoTimeout, options.TimeProvider ?? TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var client = httpClientFactory.CreateClient(options.HttpClientName);
            using var response = await client.GetAsync(options.TokenInfoRequestPrefix + ProbeToken, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;

            // Healthy only when the answer is one the handler could use: a tokenInfo object or a plain rejection of the probe.
            // A rate limit, a redirect or a server error makes every new token unavailable, so it is not healthy.
            return TokenInfoResponseReader.ClassifyStatus(response.StatusCode, response) is null or JoinMeFailureReason.InvalidToken
                ? HealthCheckResult.Healthy($"Scheme {scheme}: tokenInfo answered {status}.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"Scheme {scheme}: tokenInfo answered {status}.");
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Scheme {scheme}: tokenInfo could not be reached ({exception.GetType().Name}).");
        }
    }
}
