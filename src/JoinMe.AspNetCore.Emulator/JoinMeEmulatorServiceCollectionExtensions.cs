using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the join.me emulator and routes the JoinMe handler's tokenInfo calls to it in memory.
/// </summary>
public static class JoinMeEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="JoinMeEmulator"/> built from <see cref="JoinMeEmulatorOptions"/> (read from the
    /// configuration section <c>JoinMeEmulator</c>, then <paramref name="configure"/>; validated at start-up) and the
    /// container's <see cref="TimeProvider"/>, if there is one. Serve it with <c>app.MapJoinMeEmulator()</c>.
    /// Calling this again only adds <paramref name="configure"/>.
    /// </summary>
    /// <remarks>
    /// The app refuses to start outside the Development environment unless
    /// <see cref="JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment"/> is set, and logs a warning at start-up whenever the
    /// emulator is registered.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the emulator's settings; <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJoinMeEmulator(this IServiceCollection services, Action<JoinMeEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddEmulatorOptions(configure);
        services.TryAddSingleton(sp => new JoinMeEmulator(
            sp.GetRequiredService<IOptions<JoinMeEmulatorOptions>>().Value,
            sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Makes the JoinMe handler's HTTP client (<see cref="JoinMeAuthenticationDefaults.HttpClientName"/>)
    /// call tokenInfo in memory on the emulator registered by <see cref="AddJoinMeEmulator"/>, so that an
    /// app hosting the emulator validates tokens against it with no socket, whatever its URLs. The order of
    /// this call and <c>AddJoinMe</c> does not matter; the last backchannel registered wins.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJoinMeEmulatorBackchannel(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddBackchannel(sp => sp.GetRequiredService<JoinMeEmulator>());
    }

    /// <summary>
    /// Makes the JoinMe handler's HTTP client (<see cref="JoinMeAuthenticationDefaults.HttpClientName"/>)
    /// call tokenInfo on <paramref name="emulator"/> in memory, with no socket. It replaces the client's
    /// primary handler after every other configuration of the client, so the order of this call and
    /// <c>AddJoinMe</c> does not matter; the last backchannel registered wins. Handlers added to that client
    /// (resilience, logging) still run in front of the emulator.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="emulator">The emulator to answer tokenInfo.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJoinMeEmulatorBackchannel(this IServiceCollection services, JoinMeEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(emulator);
        return services.AddBackchannel(_ => emulator);
    }

    private static IServiceCollection AddBackchannel(this IServiceCollection services, Func<IServiceProvider, JoinMeEmulator> emulator)
    {
        services.AddEmulatorOptions(configure: null);
        services.AddHttpClient();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, JoinMeEmulatorBackchannelFilter>());
        services.Configure<BackchannelRegistration>(
            JoinMeAuthenticationDefaults.HttpClientName,
            registration => registration.CreateHandler = sp => emulator(sp).CreateBackchannelHandler(
                answerRealHosts: sp.GetRequiredService<IOptions<JoinMeEmulatorOptions>>().Value.UnsafeAllowOutsideDevelopment));
        return services;
    }

    /// <summary>
    /// The app's emulator options: read from configuration, validated at start-up (Development only, unless opted in),
    /// and a warning logged when the host starts.
    /// </summary>
    private static void AddEmulatorOptions(this IServiceCollection services, Action<JoinMeEmulatorOptions>? configure)
    {
        var options = services.AddOptions<JoinMeEmulatorOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JoinMeEmulatorOptions>, JoinMeEmulatorConfigureOptions>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JoinMeEmulatorOptions>, JoinMeEmulatorOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JoinMeEmulatorStartupWarning>());
    }
}
