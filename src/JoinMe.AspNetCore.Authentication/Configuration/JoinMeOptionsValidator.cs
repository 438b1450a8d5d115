using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Checks a scheme's options at start-up, with messages that say which setting is wrong and how to fix it.</summary>
internal sealed class JoinMeOptionsValidator : IValidateOptions<JoinMeOptions>
{
    public ValidateOptionsResult Validate(string? name, JoinMeOptions options)
    {
        var scheme = string.IsNullOrEmpty(name) ? JoinMeAuthenticationDefaults.AuthenticationScheme : name;
        var setting = $"JoinMe scheme '{scheme}'";
        var failures = new List<string>();

        if (options.AllowedClientIdSet.Count == 0)
        {
            failures.Add($"{setting}: AllowedClientIds is empty. Add your join.me app's API key, in code " +
                $"(options.AllowedClientIds.Add(\"your-api-key\")) or in configuration (Authentication:Schemes:{scheme}:AllowedClientIds:0). " +
                "Tokens issued to any other client are rejected.");
        }

        if (!Uri.TryCreate(options.Authority?.Trim(), UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            failures.Add($"{setting}: Authority '{options.Authority}' is not an absolute http(s) URL without query or fragment, " +
                $"such as {JoinMeAuthenticationDefaults.Authority}.");
        }
        else if (authority.Scheme == Uri.UriSchemeHttp && options.RequireHttpsAuthority)
        {
            failures.Add($"{setting}: Authority '{options.Authority}' uses http. Use https, or set RequireHttpsAuthority to false " +
                "for a local emulator in development only.");
        }

        Require(failures, options.TokenInfoTimeout > TimeSpan.Zero && options.TokenInfoTimeout != Timeout.InfiniteTimeSpan,
            $"{setting}: TokenInfoTimeout must be positive and finite, for example 00:00:05.");
        Require(failures, options.MaxTokenLength is > 0 and <= 65_536,
            $"{setting}: MaxTokenLength must be between 1 and 65536 characters; join.me's tokens are 24.");
        Require(failures, options.MaxResponseBytes is >= 256 and <= 1_048_576,
            $"{setting}: MaxResponseBytes must be between 256 and 1048576.");
        Require(failures, options.ClockSkew >= TimeSpan.Zero && options.ClockSkew < TimeSpan.FromHours(1),
            $"{setting}: ClockSkew must be zero or positive and under an hour.");
        Require(failures, options.MaxCacheDuration is null || options.MaxCacheDuration > TimeSpan.Zero,
            $"{setting}: MaxCacheDuration must be positive, or null to cache until the token expires.");
        Require(failures, options.RejectedTokenCacheDuration >= TimeSpan.Zero,
            $"{setting}: RejectedTokenCacheDuration must be zero (off) or positive.");
        Require(failures, options.NoExpiryCacheDuration >= TimeSpan.Zero,
            $"{setting}: NoExpiryCacheDuration must be zero (off) or positive.");
        Require(failures, options.UnavailableStatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status401Unauthorized,
            $"{setting}: UnavailableStatusCode must be 503 (recommended) or 401.");
        Require(failures, options.RetryAfter >= TimeSpan.Zero,
            $"{setting}: RetryAfter must be zero (no header) or positive.");
        Require(failures, !string.IsNullOrWhiteSpace(options.HttpClientName),
            $"{setting}: HttpClientName must name an IHttpClientFactory client, by default '{JoinMeAuthenticationDefaults.HttpClientName}'.");

        var resilience = options.Resilience;
        Require(failures, resilience.AttemptTimeout > TimeSpan.Zero && resilience.AttemptTimeout <= TimeSpan.FromDays(1),
            $"{setting}: Resilience.AttemptTimeout must be positive, for example 00:00:02.");
        Require(failures, resilience.MaxRetryAttempts is >= 0 and <= 5,
            $"{setting}: Resilience.MaxRetryAttempts must be between 0 (no retry) and 5.");
        Require(failures, resilience.RetryDelay >= TimeSpan.Zero && resilience.RetryDelay <= TimeSpan.FromMinutes(1),
            $"{setting}: Resilience.RetryDelay must be zero or positive and at most a minute.");
        Require(failures, resilience.CircuitBreakerFailureRatio is > 0 and <= 1,
            $"{setting}: Resilience.CircuitBreakerFailureRatio must be above 0 and at most 1, for example 0.5.");
        Require(failures, resilience.CircuitBreakerMinimumThroughput >= 2,
            $"{setting}: Resilience.CircuitBreakerMinimumThroughput must be at least 2.");
        Require(failures, resilience.CircuitBreakerSamplingDuration >= TimeSpan.FromMilliseconds(500) && resilience.CircuitBreakerSamplingDuration <= TimeSpan.FromDays(1),
            $"{setting}: Resilience.CircuitBreakerSamplingDuration must be between half a second and a day.");
        Require(failures, resilience.CircuitBreakerBreakDuration >= TimeSpan.FromMilliseconds(500) && resilience.CircuitBreakerBreakDuration <= TimeSpan.FromDays(1),
            $"{setting}: Resilience.CircuitBreakerBreakDuration must be between half a second and a day.");
        Require(failures, resilience.MaxConcurrentCalls is > 0 and <= 10_000,
            $"{setting}: Resilience.MaxConcurrentCalls must be between 1 and 10000.");
        Require(failures, resilience.MaxQueuedCalls is >= 0 and <= 1_000_000,
            $"{setting}: Resilience.MaxQueuedCalls must be between 0 and 1000000.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, bool condition, string message)
    {
        if (!condition)
        {
            failures.Add(message);
        }
    }
}
