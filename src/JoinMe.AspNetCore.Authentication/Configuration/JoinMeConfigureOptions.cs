using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reads a scheme's options from <c>Authentication:Schemes:{scheme}</c>, as JwtBearer does. Values are read by hand, so that
/// trimming keeps working and a bad value names the exact setting to fix.
/// </summary>
internal sealed class JoinMeConfigureOptions(IAuthenticationConfigurationProvider configurationProvider) : IConfigureNamedOptions<JoinMeOptions>
{
    public void Configure(JoinMeOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JoinMeOptions options)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var section = configurationProvider.GetSchemeConfiguration(name);
        if (!section.GetChildren().Any())
        {
            return;
        }

        var reader = new SectionReader(section, $"Authentication:Schemes:{name}");
        options.Authority = reader.String(nameof(JoinMeOptions.Authority)) ?? options.Authority;
        foreach (var clientId in section.GetSection(nameof(JoinMeOptions.AllowedClientIds)).GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(clientId.Value) && !options.AllowedClientIds.Contains(clientId.Value))
            {
                options.AllowedClientIds.Add(clientId.Value);
            }
        }

        options.RequireHttpsAuthority = reader.Boolean(nameof(JoinMeOptions.RequireHttpsAuthority)) ?? options.RequireHttpsAuthority;
        options.AcceptTokenFromQuery = reader.Boolean(nameof(JoinMeOptions.AcceptTokenFromQuery)) ?? options.AcceptTokenFromQuery;
        options.MaxTokenLength = reader.Integer(nameof(JoinMeOptions.MaxTokenLength)) ?? options.MaxTokenLength;
        options.SaveToken = reader.Boolean(nameof(JoinMeOptions.SaveToken)) ?? options.SaveToken;
        options.TokenInfoTimeout = reader.TimeSpan(nameof(JoinMeOptions.TokenInfoTimeout)) ?? options.TokenInfoTimeout;
        options.MaxResponseBytes = reader.Integer(nameof(JoinMeOptions.MaxResponseBytes)) ?? options.MaxResponseBytes;
        options.ClockSkew = reader.TimeSpan(nameof(JoinMeOptions.ClockSkew)) ?? options.ClockSkew;
        options.MaxCacheDuration = reader.TimeSpan(nameof(JoinMeOptions.MaxCacheDuration)) ?? options.MaxCacheDuration;
        options.RejectedTokenCacheDuration = reader.TimeSpan(nameof(JoinMeOptions.RejectedTokenCacheDuration)) ?? options.RejectedTokenCacheDuration;
        options.NoExpiryCacheDuration = reader.TimeSpan(nameof(JoinMeOptions.NoExpiryCacheDuration)) ?? options.NoExpiryCacheDuration;
        options.UnavailableStatusCode = reader.Integer(nameof(JoinMeOptions.UnavailableStatusCode)) ?? options.UnavailableStatusCode;
        options.RetryAfter = reader.TimeSpan(nameof(JoinMeOptions.RetryAfter)) ?? options.RetryAfter;
        options.Realm = reader.String(nameof(JoinMeOptions.Realm)) ?? options.Realm;
        options.IncludeErrorDetails = reader.Boolean(nameof(JoinMeOptions.IncludeErrorDetails)) ?? options.IncludeErrorDetails;
        options.HttpClientName = reader.String(nameof(JoinMeOptions.HttpClientName)) ?? options.HttpClientName;

        var resilience = options.Resilience;
        var resilienceReader = new SectionReader(section.GetSection(nameof(JoinMeOptions.Resilience)), $"Authentication:Schemes:{name}:Resilience");
        resilience.AttemptTimeout = resilienceReader.TimeSpan(nameof(resilience.AttemptTimeout)) ?? resilience.AttemptTimeout;
        resilience.MaxRetryAttempts = resilienceReader.Integer(nameof(resilience.MaxRetryAttempts)) ?? resilience.MaxRetryAttempts;
        resilience.RetryDelay = resilienceReader.TimeSpan(nameof(resilience.RetryDelay)) ?? resilience.RetryDelay;
        resilience.CircuitBreakerFailureRatio = resilienceReader.Double(nameof(resilience.CircuitBreakerFailureRatio)) ?? resilience.CircuitBreakerFailureRatio;
        resilience.CircuitBreakerMinimumThroughput = resilienceReader.Integer(nameof(resilience.CircuitBreakerMinimumThroughput)) ?? resilience.CircuitBreakerMinimumThroughput;
        resilience.CircuitBreakerSamplingDuration = resilienceReader.TimeSpan(nameof(resilience.CircuitBreakerSamplingDuration)) ?? resilience.CircuitBreakerSamplingDuration;
        resilience.CircuitBreakerBreakDuration = resilienceReader.TimeSpan(nameof(resilience.CircuitBreakerBreakDuration)) ?? resilience.CircuitBreakerBreakDuration;
        resilience.MaxConcurrentCalls = resilienceReader.Integer(nameof(resilience.MaxConcurrentCalls)) ?? resilience.MaxConcurrentCalls;
        resilience.MaxQueuedCalls = resilienceReader.Integer(nameof(resilience.MaxQueuedCalls)) ?? resilience.MaxQueuedCalls;
    }

    private sealed class SectionReader(IConfiguration section, string path)
    {
        public string? String(string key) => section[key] is { Length: > 0 } value ? value : null;

        public bool? Boolean(string key) => Parse(key, "true or false", static (string s, out bool v) => bool.TryParse(s, out v));

        public int? Integer(string key) => Parse(key, "a whole number",
            static (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

        public double? Double(string key) => Parse(key, "a number such as 0.5",
            static (string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v));

        public TimeSpan? TimeSpan(string key) => Parse(key, "a time span such as 00:00:30",
            static (string s, out TimeSpan v) => System.TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out v));

        private T? Parse<T>(string key, string expected, TryParse<T> tryParse)
            where T : struct
        {
            var value = String(key);
            if (value is null)
            {
                return null;
            }

            return tryParse(value.Trim(), out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Configuration value {path}:{key} is '{value}', which is not {expected}.");
        }
    }

    private delegate bool TryParse<T>(string value, out T result);
}
