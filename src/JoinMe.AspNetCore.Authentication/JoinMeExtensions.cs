using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds join.me bearer authentication to an application.
/// </summary>
public static class JoinMeExtensions
{
    /// <summary>Adds join.me bearer authentication under the default scheme, <see cref="JoinMeAuthenticationDefaults.AuthenticationScheme"/>, configured from <c>Authentication:Schemes:JoinMe</c>.</summary>
    /// <param name="builder">The authentication builder.</param>
    public static AuthenticationBuilder AddJoinMe(this AuthenticationBuilder builder)
        => builder.AddJoinMe(JoinMeAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds join.me bearer authentication under the default scheme.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureOptions">Configures the options, after configuration has been read.</param>
    public static AuthenticationBuilder AddJoinMe(this AuthenticationBuilder builder, Action<JoinMeOptions> configureOptions)
        => builder.AddJoinMe(JoinMeAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds join.me bearer authentication under <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name; its options are read from <c>Authentication:Schemes:{authenticationScheme}</c>.</param>
    /// <param name="configureOptions">Configures the options, after configuration has been read.</param>
    public static AuthenticationBuilder AddJoinMe(this AuthenticationBuilder builder, string authenticationScheme, Action<JoinMeOptions>? configureOptions)
        => builder.AddJoinMe(authenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds join.me bearer authentication under <paramref name="authenticationScheme"/>. Every other overload calls this one.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name; its options are read from <c>Authentication:Schemes:{authenticationScheme}</c>.</param>
    /// <param name="displayName">The scheme's display name.</param>
    /// <param name="configureOptions">Configures the options, after configuration has been read.</param>
    public static AuthenticationBuilder AddJoinMe(
        this AuthenticationBuilder builder,
        string authenticationScheme,
        string? displayName,
        Action<JoinMeOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JoinMeOptions>, JoinMeConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JoinMeOptions>, JoinMePostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JoinMeOptions>, JoinMeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, JoinMeScopePolicySetup>());
        services.TryAddSingleton<IJoinMeTokenCache, MemoryJoinMeTokenCache>();
        services.TryAddSingleton<TokenInfoClient>();
        services.TryAddSingleton<TokenInfoCallCoalescer>();
        services.TryAddSingleton<TokenInfoResilienceRegistry>();
        services.TryAddSingleton<JoinMeTelemetry>();
        services.AddMetrics();
        services.TryAddSingleton<JoinMeTokenValidator>();
        AddTokenInfoHttpClient(services);

        services.AddOptions<JoinMeOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<JoinMeOptions, JoinMeHandler>(authenticationScheme, displayName ?? JoinMeAuthenticationDefaults.DisplayName, configureOptions);
    }

    private static void AddTokenInfoHttpClient(IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(TokenInfoHttpClientMarker)))
        {
            return;
        }

        services.AddSingleton<TokenInfoHttpClientMarker>();
        services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's default loggers write request URLs, and tokenInfo's URL carries the token.
            .RemoveAllLoggers();
    }

    private sealed class TokenInfoHttpClientMarker;

    private sealed class JoinMeScopePolicySetup : IConfigureOptions<AuthorizationOptions>
    {
        public void Configure(AuthorizationOptions options) => options.AddJoinMeScopePolicies();
    }
}
