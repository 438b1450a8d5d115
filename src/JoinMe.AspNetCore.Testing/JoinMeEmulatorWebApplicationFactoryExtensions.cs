using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Mvc.Testing;

/// <summary>
/// Points an app under test at an in-memory join.me emulator.
/// </summary>
/// <example>
/// <code>
/// var emulator = new JoinMeEmulator();
/// await using var factory = new WebApplicationFactory&lt;Program&gt;().WithJoinMeEmulator(emulator, clientId: "my-api-key");
/// var token = emulator.MintToken("my-api-key", "scheduler");
/// </code>
/// </example>
public static class JoinMeEmulatorWebApplicationFactoryExtensions
{
    /// <summary>The Callback URL registered for a client that <see cref="WithJoinMeEmulator{TEntryPoint}"/> registers.</summary>
    public const string DefaultRedirectUri = "http://localhost/callback";

    /// <summary>
    /// Returns a factory whose app validates join.me tokens against <paramref name="emulator"/>, in memory:
    /// <list type="bullet">
    /// <item>registers <paramref name="clientId"/> in the emulator, unless it already is;</item>
    /// <item>routes the JoinMe handler's HTTP client (<see cref="JoinMeAuthenticationDefaults.HttpClientName"/>) to the emulator, whatever the configured authority;</item>
    /// <item>sets <see cref="JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment"/> in the app: the factory is a test host, so the
    /// emulator may run in any environment and answer for the app's real join.me authority;</item>
    /// <item>adds <paramref name="clientId"/> to <see cref="JoinMeOptions.AllowedClientIds"/> of every JoinMe scheme;</item>
    /// <item>makes <paramref name="emulator"/> the app's <see cref="JoinMeEmulator"/> service, so that an app that also
    /// serves the emulator (<c>MapJoinMeEmulator</c>) serves this one.</item>
    /// </list>
    /// </summary>
    /// <typeparam name="TEntryPoint">A type in the app's entry-point assembly, usually <c>Program</c>.</typeparam>
    /// <param name="factory">The factory of the app under test.</param>
    /// <param name="emulator">The emulator the test drives: mints, revokes, expires tokens and sets faults.</param>
    /// <param name="clientId">The API key the app accepts and the tokens are minted for.</param>
    /// <param name="redirectUri">The Callback URL to register for a new client; <see langword="null"/> for <see cref="DefaultRedirectUri"/>.</param>
    /// <returns>A new factory; dispose it (it owns the app, not the emulator).</returns>
    /// <exception cref="ArgumentException">The client id or the Callback URL is invalid.</exception>
    public static WebApplicationFactory<TEntryPoint> WithJoinMeEmulator<TEntryPoint>(
        this WebApplicationFactory<TEntryPoint> factory,
        JoinMeEmulator emulator,
        string clientId,
        string? redirectUri = null)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(clientId);

        if (!emulator.TryGetClient(clientId, out _))
        {
            emulator.RegisterClient(clientId, redirectUri ?? DefaultRedirectUri);
        }

        return factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(emulator));
            services.AddJoinMeEmulatorBackchannel(emulator);
            // A test host: it may run in any environment, and the app keeps the authority it ships with (join.me's own).
            services.Configure<JoinMeEmulatorOptions>(options => options.UnsafeAllowOutsideDevelopment = true);
            // Configure, not PostConfigure: registered after the app's own configuration, it still runs
            // before the handler's post-configuration, which derives the set of allowed ids once.
            services.ConfigureAll<JoinMeOptions>(options =>
            {
                if (!options.AllowedClientIds.Contains(clientId))
                {
                    options.AllowedClientIds.Add(clientId);
                }
            });
        }));
    }
}
