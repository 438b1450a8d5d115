using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds a health check of join.me's tokenInfo endpoint.
/// </summary>
public static class JoinMeHealthCheckBuilderExtensions
{
    /// <summary>
    /// Checks that a join.me scheme's tokenInfo endpoint can be reached: <c>builder.Services.AddHealthChecks().AddJoinMeTokenInfo()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="authenticationScheme">The join.me scheme whose authority is checked.</param>
    /// <param name="name">The check's name; defaults to <c>joinme-tokeninfo</c> (with the scheme appended when it is not the default one).</param>
    /// <param name="failureStatus">What an unreachable tokenInfo reports; defaults to <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    public static IHealthChecksBuilder AddJoinMeTokenInfo(
        this IHealthChecksBuilder builder,
        string authenticationScheme = JoinMeAuthenticationDefaults.AuthenticationScheme,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        name ??= authenticationScheme == JoinMeAuthenticationDefaults.AuthenticationScheme ? "joinme-tokeninfo" : $"joinme-tokeninfo-{authenticationScheme}";
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new JoinMeTokenInfoHealthCheck(
                authenticationScheme,
                services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>(),
                services.GetRequiredService<IHttpClientFactory>(),
                services.GetRequiredService<TokenInfoResilienceRegistry>()),
            failureStatus,
            tags));
    }
}
