using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// Runs the sample itself (samples/WebApi, its Program, appsettings and middleware) on Kestrel at 127.0.0.1 for bench/load.sh,
/// with these bench-only changes made from outside, as a test would make them:
/// <list type="bullet">
/// <item>environment Production and logging at Warning;</item>
/// <item>the sample's own emulator switched on (<c>Sample:UseEmulator</c>, its Development default): tokenInfo is answered in memory
/// by the sample's <see cref="JoinMeEmulator"/>, whose admin API (<c>POST /_emulator/tokens</c>) mints the JoinMe token;</item>
/// <item>two JwtBearer schemes (HS256, RS256), reached through the JoinMe scheme's <c>ForwardDefaultSelector</c> when the bearer
/// token is one of theirs, so that the very same endpoints and scope policy serve JoinMe and JwtBearer requests.</item>
/// </list>
/// Writes the JwtBearer tokens to <c>--tokens FILE</c> (JSON) once it listens, and stops on SIGTERM or SIGINT, saying how many
/// tokenInfo calls the emulator answered.
/// </summary>
internal static class LoadHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = 5181;
        string? tokensFile = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--tokens":
                    tokensFile = args[i + 1];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option {args[i]}; use serve [--port N] [--tokens FILE].");
                    return 2;
            }
        }

        var hs256 = BenchJwt.CreateHs256Token(BenchApp.Scopes);
        var rs256 = BenchJwt.CreateRs256Token(BenchApp.Scopes);
        var hs256Prefix = "Bearer " + hs256[..(hs256.IndexOf('.', StringComparison.Ordinal) + 1)];
        var rs256Prefix = "Bearer " + rs256[..(rs256.IndexOf('.', StringComparison.Ordinal) + 1)];

        await using var factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(web =>
            {
                web.UseEnvironment(Environments.Production);
                web.UseSetting("Sample:UseEmulator", "true");
                // A load-test host on loopback: the emulator may run outside Development here, and only here.
                web.UseSetting("JoinMeEmulator:UnsafeAllowOutsideDevelopment", "true");
                web.UseSolutionRelativeContentRoot(Path.Combine("samples", "WebApi"));
                web.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Logging:LogLevel:Default"] = "Warning",
                    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                }));
                web.ConfigureTestServices(services =>
                {
                    services.AddAuthentication().AddBenchJwtBearer();
                    services.PostConfigure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, options =>
                        options.ForwardDefaultSelector = context => SelectJwtScheme(context, hs256Prefix, rs256Prefix));
                });
            });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();

        if (tokensFile is not null)
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["hs256"] = hs256, ["rs256"] = rs256 });
            await File.WriteAllTextAsync(tokensFile + ".tmp", json);
            File.Move(tokensFile + ".tmp", tokensFile, overwrite: true);
        }

        Console.WriteLine($"Serving the sample at http://127.0.0.1:{port} (pid {Environment.ProcessId}).");
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        var emulator = factory.Services.GetRequiredService<JoinMeEmulator>();
        Console.WriteLine($"Stopping; tokenInfo was called {emulator.GetStats().TokenInfoCalls} time(s).");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static string? SelectJwtScheme(HttpContext context, string hs256Prefix, string rs256Prefix)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value)
        {
            return null;
        }

        return value.StartsWith(hs256Prefix, StringComparison.Ordinal) ? BenchJwt.Hs256Scheme
            : value.StartsWith(rs256Prefix, StringComparison.Ordinal) ? BenchJwt.Rs256Scheme
            : null;
    }
}
