using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Logs a warning when a host starts with the emulator registered (served, or answering tokenInfo through the backchannel),
/// and another when the unsafe opt-in is set.
/// </summary>
internal sealed class JoinMeEmulatorStartupWarning(
    IHostEnvironment environment, IOptions<JoinMeEmulatorOptions> options, ILoggerFactory loggerFactory) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(Log.Category);
        Log.EmulatorActive(logger, environment.EnvironmentName);
        if (options.Value.UnsafeAllowOutsideDevelopment)
        {
            Log.UnsafeOptIn(logger);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
