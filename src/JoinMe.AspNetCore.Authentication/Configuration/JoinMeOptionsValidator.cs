namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Checks a scheme's options at start-up, with messages that say which setting is wrong and how to fix it.</summary>
internal sealed class JoinMeOptionsValidator : IValidateOptions<JoinMeOptions>
{
    public ValidateOptionsResult Validate(string? name, JoinMeOptions options)
    {
        var scheme = string.IsNullOrEmpty(name) ? JoinMeAuthenticationDefaults.AuthenticationScheme : name;
        var setting = $"JoinMe scheme '{scheme}'";
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add($"{setting}: {message}");
            }
        }

        Require(options.AllowedClientIds.Any(id => !string.IsNullOrWhiteSpace(id)),
            "AllowedClientIds is empty. Add your join.me app's API key, in code (options.AllowedClientIds.Add(\"your-api-key\")) or in configuration " +
            $"(Authentication:Schemes:{scheme}:AllowedClientIds:0). Tokens issued to any other client are rejected.");
        Require(options.AllowedClientIds.All(id => string.IsNullOrWhiteSpace(id) || id.Trim() == id),
            "AllowedClientIds holds a value with white space around it; give each API key exactly as join.me shows it.");
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp)
            || authority.Query.Length > 0 || authority.Fragment.Length > 0 || options.Authority.Trim() != options.Authority)
        {
            failures.Add($"{setting}: Authority '{options.Authority}' is not an absolute http(s) URL without query or fragment, such as {JoinMeAuthenticationDefaults.Authority}.");
        }
        else
        {
            Require(authority.Scheme == Uri.UriSchemeHttps || !options.RequireHttpsAuthority,
                $"Authority '{options.Authority}' uses http. Use https, or set RequireHttpsAuthority to false for a local emulator in development only.");
        }

        Require(options.TokenInfoTimeout > TimeSpan.Zero && options.TokenInfoTimeout <= TimeSpan.FromMinutes(5), "TokenInfoTimeout must be positive and at most 5 minutes, for example 00:00:05.");
        Require(options.MaxTokenLength is > 0 and <= 65_536, "MaxTokenLength must be between 1 and 65536 characters; join.me's tokens are 24.");
        Require(options.MaxResponseBytes is >= 256 and <= 1_048_576, "MaxResponseBytes must be between 256 and 1048576.");
        Require(options.ClockSkew >= TimeSpan.Zero && options.ClockSkew < TimeSpan.FromHours(1), "ClockSkew must be zero or positive and under an hour.");
        Require(options.MaxCacheDuration > TimeSpan.Zero && options.MaxCacheDuration <= TimeSpan.FromDays(7), "MaxCacheDuration must be positive and at most 7 days; join.me's tokens live 24 hours.");
        Require(options.RejectedTokenCacheDuration >= TimeSpan.Zero && options.RejectedTokenCacheDuration <= TimeSpan.FromDays(1), "RejectedTokenCacheDuration must be zero (off) or positive, at most a day.");
        Require(options.NoExpiryCacheDuration >= TimeSpan.Zero && options.NoExpiryCacheDuration <= TimeSpan.FromDays(1), "NoExpiryCacheDuration must be zero (off) or positive, at most a day.");
        Require(options.MaxCacheMissesPerCallerPerMinute >= 0, "MaxCacheMissesPerCallerPerMinute must be zero (no budget) or positive; the default, 60, is one a real user never meets.");
        Require(options.MaxTokenInfoCallsPerSecond is null or > 0, "MaxTokenInfoCallsPerSecond must be positive (below your join.me key's limit), or null for no ceiling.");
        Require(options.CallerPartitionKey is not null, "CallerPartitionKey must be set; the default partitions by remote IP address.");
        Require(options.UnavailableStatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status401Unauthorized, "UnavailableStatusCode must be 503 (recommended) or 401.");
        Require(options.RetryAfter >= TimeSpan.Zero, "RetryAfter must be zero (no header) or positive.");
        Require(!string.IsNullOrWhiteSpace(options.HttpClientName), $"HttpClientName must name an IHttpClientFactory client, by default '{JoinMeAuthenticationDefaults.HttpClientName}'.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
