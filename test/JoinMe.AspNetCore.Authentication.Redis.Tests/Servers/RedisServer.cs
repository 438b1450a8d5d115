using Garnet;
using StackExchange.Redis;

namespace JoinMe.AspNetCore.Authentication.Redis.Tests.Servers;

/// <summary>
/// A real Redis-protocol server on a loopback port of its own, that a test can stop and start again on the same port: Microsoft.Garnet in this
/// process (so a fresh machine needs nothing), or Debian's <c>redis-server</c> as a child process when it is installed (CI installs it, and
/// there a missing one fails the test instead of skipping it).
/// </summary>
public abstract class RedisServer : IAsyncDisposable
{
    public const string Garnet = "garnet";
    public const string RedisServerProcess = "redis-server";

    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(20);

    protected RedisServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static TheoryData<string> Kinds => [Garnet, RedisServerProcess];

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string kind)
    {
        RedisServer server = kind == Garnet ? new GarnetServerInProcess() : new RedisServerChild();
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port, and returns once the server answers PING.</summary>
    public async Task StartAsync()
    {
        Launch();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Configuration }, AbortOnConnectFail = true, ConnectTimeout = 500 });
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < StartGuard)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>Stops the server at once, as a crash would: connections drop, nothing is saved.</summary>
    public abstract Task StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract void Launch();

    private sealed class GarnetServerInProcess : RedisServer
    {
        private GarnetServer? _server;

        protected override void Launch()
        {
            // Lua: FusionCache's distributed lock needs it.
            _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua"]);
            _server.Start();
        }

        public override Task StopAsync()
        {
            Interlocked.Exchange(ref _server, null)?.Dispose();
            return Task.CompletedTask;
        }
    }

    private sealed class RedisServerChild : RedisServer
    {
        private const string Executable = "/usr/bin/redis-server";
        private Process? _process;

        protected override void Launch()
        {
            if (!File.Exists(Executable))
            {
                var message = $"No {Executable}: install it with 'apt-get install -y redis-server' (.ci/run does).";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail(message + " Under CI the tests must run against it.");
                }

                Assert.Skip(message);
            }

            _process = Process.Start(new ProcessStartInfo(Executable)
            {
                ArgumentList = { "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "yes" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public override async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _process, null) is { } process)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                process.Dispose();
            }
        }
    }
}
