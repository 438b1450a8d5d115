using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reports whether a scheme's tokenInfo endpoint answers: it asks about a probe token that cannot be valid, and any answer below 500
/// (other than 429) means join.me is reachable. An open circuit is reported without a call.
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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.TokenInfoTimeout);
        try
        {
            var client = httpClientFactory.CreateClient(options.HttpClientName);
            using var response = await client.GetAsync(options.TokenInfoRequestPrefix + ProbeToken, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status < 500 && status != 429
                ? HealthCheckResult.Healthy($"Scheme {scheme}: tokenInfo answered {status}.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"Scheme {scheme}: tokenInfo answered {status}.");
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Scheme {scheme}: tokenInfo could not be reached ({exception.GetType().Name}).");
        }
    }
}
