using System.Net;
using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace JoinMe.Emulator;

/// <summary>
/// Runs the join.me emulator on its own: its join.me paths and admin API at <see cref="CommandLine.DefaultUrls"/> unless told
/// otherwise, in the Development environment unless told otherwise, with the sample's demo client registered.
/// </summary>
/// <remarks>
/// Development is the default because running this tool is itself the choice of a development stand-in: it exists for nothing
/// else, and the emulator's own guard (which refuses other environments) then holds without the unsafe opt-in. Naming another
/// environment brings that guard back. Logs go to standard error; standard output gets one line, where it listens.
/// </remarks>
internal static class EmulatorCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = CommandLine.Parse(args);
        if (command.Help)
        {
            await output.WriteAsync(CommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        if (command.Error is not null)
        {
            await error.WriteLineAsync($"joinme-emulator: {command.Error}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await using var app = Build(command);
            app.MapJoinMeEmulator();
            app.Lifetime.ApplicationStarted.Register(() => SayWhereItListens(app, output, error));
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is OptionsValidationException or FormatException)
        {
            await error.WriteLineAsync($"joinme-emulator: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"joinme-emulator: could not start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static WebApplication Build(CommandLine command)
    {
        var settings = command.Settings;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. settings.Select(setting => $"--{setting.Key}={setting.Value}")],
            EnvironmentName = settings.GetValueOrDefault("environment")
                ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environments.Development,
            // Not the working directory: the tool must not pick up whatever appsettings.json lies where it is started.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Defaults that any setting above overrides: quiet hosting logs, on one line each.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
        });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(CommandLine.DefaultUrls);
        }

        builder.Services.AddJoinMeEmulator(options =>
        {
            if (options.Clients.Count == 0)
            {
                options.Clients.Add(new JoinMeEmulatorClient(CommandLine.DemoClientId, CommandLine.DemoRedirectUri));
            }
        });
        return builder.Build();
    }

    private static void SayWhereItListens(WebApplication app, TextWriter output, TextWriter error)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var clients = app.Services.GetRequiredService<JoinMeEmulator>().GetClients().Select(client => client.ClientId);
        output.WriteLine(
            $"join.me emulator listening on {string.Join(' ', addresses)} ({app.Environment.EnvironmentName}; clients: {string.Join(", ", clients)}; admin API under /_emulator)");
        output.Flush();
        foreach (var address in addresses.Where(address => !IsThisMachineOnly(address)))
        {
            error.WriteLine(
                $"joinme-emulator: warning: {address} reaches beyond this machine: anyone on the network can use its authorize and tokenInfo endpoints (its admin API still answers this machine only).");
        }
    }

    private static bool IsThisMachineOnly(string address)
    {
        var host = BindingAddress.Parse(address).Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
