using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ZiggyCreatures.Caching.Fusion.Serialization;

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
    public static AuthenticationBuilder AddJoinMe(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<JoinMeOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JoinMeOptions>, JoinMeConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JoinMeOptions>, JoinMeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AuthorizationOptions>, JoinMeScopePolicies>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenInfoClient>();
        services.TryAddSingleton<TokenInfoBudget>();
        services.TryAddSingleton<JoinMeTelemetry>();
        services.TryAddSingleton<JoinMeTokenValidator>();
        services.AddMetrics();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(JoinMeTokenCache)))
        {
            AddTokenInfoHttpClient(services);
            AddTokenCache(services);
            services.AddSingleton(provider => new JoinMeTokenCache(
                provider.GetRequiredService<IFusionCacheProvider>(), provider.GetRequiredService<IOptionsMonitor<JoinMeOptions>>(), provider.GetRequiredService<TimeProvider>()));
        }

        services.AddOptions<JoinMeOptions>(authenticationScheme).ValidateOnStart();

        // A reload of the scheme's configuration section (appsettings.json edited, say) takes effect on the next request.
        services.AddSingleton<IOptionsChangeTokenSource<JoinMeOptions>>(provider => new ConfigurationChangeTokenSource<JoinMeOptions>(
            authenticationScheme, provider.GetRequiredService<IAuthenticationConfigurationProvider>().GetSchemeConfiguration(authenticationScheme)));
        return builder.AddScheme<JoinMeOptions, JoinMeHandler>(authenticationScheme, displayName ?? JoinMeAuthenticationDefaults.DisplayName, configureOptions);
    }

    private static void AddTokenInfoHttpClient(IServiceCollection services)
    {
        services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // Timeouts come from the resilience handler and TokenInfoTimeout.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's default loggers write request URLs, and tokenInfo's URL carries the token.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler()
            .Configure(ConfigureResilience)
            .Configure((options, provider) => provider.GetService<IConfiguration>()?.GetSection("JoinMe:Resilience").Bind(options))
            // One circuit, concurrency cap and retry budget per join.me authority.
            .SelectPipelineByAuthority();
        services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName).AddHttpMessageHandler(static () => new RedactingHandler());
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.RateLimiter.DefaultRateLimiterOptions.PermitLimit = 32;
        options.RateLimiter.DefaultRateLimiterOptions.QueueLimit = 512;
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.Zero;
        options.Retry.BackoffType = DelayBackoffType.Constant;
        options.Retry.UseJitter = false;
        options.Retry.ShouldRetryAfterHeader = false;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(SaysJoinMeIsUnwell(args.Outcome));
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 10;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(SaysJoinMeIsUnwell(args.Outcome));
    }

    /// <summary>
    /// What counts against join.me for retries and the circuit breaker: a 5xx, a connection failure, an attempt that timed out. Not a rate limit
    /// (429, or the gateway's 403): that says this app's key is over its budget, which an anonymous flood must not turn into an open circuit for everyone.
    /// </summary>
    private static bool SaysJoinMeIsUnwell(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;

    private static void AddTokenCache(IServiceCollection services)
    {
        services.AddOptions<MemoryCacheOptions>(JoinMeAuthenticationDefaults.CacheName).Configure(options => options.SizeLimit ??= 100_000);
        services.AddKeyedSingleton<IMemoryCache>(JoinMeAuthenticationDefaults.CacheName, (provider, key) =>
            new MemoryCache(provider.GetRequiredService<IOptionsMonitor<MemoryCacheOptions>>().Get((string)key!)));
        services.AddKeyedSingleton<IFusionCacheSerializer, TokenFactsSerializer>(JoinMeAuthenticationDefaults.CacheName);
        services.AddOptions<FusionCacheOptions>(JoinMeAuthenticationDefaults.CacheName).Configure(options =>
        {
            options.DefaultEntryOptions.Size = 1;
            options.DefaultEntryOptions.IsFailSafeEnabled = false;
            options.DefaultEntryOptions.ReThrowSerializationExceptions = false;
        });

        // Memory only, unless a shared tier is registered under the cache's name (the Redis package does): then authenticated entries, a backplane
        // that tells other instances of changes, and a distributed lock around tokenInfo calls.
        services.AddFusionCache(JoinMeAuthenticationDefaults.CacheName)
            .WithRegisteredOptions()
            .WithoutLogger()
            .WithRegisteredKeyedMemoryCacheByCacheName()
            .WithMemoryLocker(new PerKeyMemoryLocker())
            .WithRegisteredKeyedSerializerByCacheName()
            .TryWithRegisteredKeyedDistributedCache(ignoreMemoryDistributedCache: false, throwIfMissingSerializer: true)
            .TryWithRegisteredKeyedBackplane()
            .TryWithRegisteredKeyedDistributedLocker();
    }

    /// <summary>
    /// One policy per join.me scope, named after it, bound to the default scheme. It runs after every configuration of the authorization options, so a
    /// policy of the same name that the app defines, in any order (with <c>AddJoinMeScopePolicies("Scheme")</c> too), wins.
    /// </summary>
    private sealed class JoinMeScopePolicies : IPostConfigureOptions<AuthorizationOptions>
    {
        public void PostConfigure(string? name, AuthorizationOptions options) => options.AddJoinMeScopePolicies();
    }
}
