using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds a health check of join.me's tokenInfo endpoint.
/// </summary>
public static class JoinMeHealthCheckBuilderExtensions
{
    /// <summary>
    /// Checks that a join.me scheme's tokenInfo endpoint answers: <c>builder.Services.AddHealthChecks().AddJoinMeTokenInfo()</c>. It goes through the same
    /// client, circuit breaker and ceiling on calls as validation, and one probe serves every check for five seconds; still, expose it to your
    /// orchestrator only, not to anonymous callers.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="authenticationScheme">The join.me scheme whose authority is checked.</param>
    /// <param name="name">The check's name; defaults to <c>joinme-tokeninfo</c> (with the scheme appended when it is not the default one).</param>
    /// <param name="failureStatus">What an unreachable tokenInfo reports; defaults to <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <remarks>Adding the same check (same name) again is harmless: the first registration is kept.</remarks>
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
        builder.Services.TryAddKeyedSingleton(authenticationScheme, (services, _) => new JoinMeTokenInfoHealthCheck(
            authenticationScheme,
            services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>(),
            services.GetRequiredService<TokenInfoClient>(),
            services.GetRequiredService<TokenInfoBudget>(),
            services.GetRequiredService<TimeProvider>()));
        var registration = new HealthCheckRegistration(
            name, services => services.GetRequiredKeyedService<JoinMeTokenInfoHealthCheck>(authenticationScheme), failureStatus, tags);

        // Like TryAdd: a second call for the same check (the app's and a test's, say) keeps the first instead of failing at start-up.
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (!options.Registrations.Any(existing => string.Equals(existing.Name, registration.Name, StringComparison.OrdinalIgnoreCase)))
            {
                options.Registrations.Add(registration);
            }
        });
        return builder;
    }
}
