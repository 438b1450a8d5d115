using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Garnet;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The authenticate step with a cached token, memory only and with the Redis shared tier on (a real Redis-protocol server, Microsoft.Garnet,
/// in this process on loopback): a memory hit must not touch the network, so the two should cost the same.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SharedTierBenchmarks
{
    private GarnetServer _redis = null!;
    private BenchApp _memoryOnly = null!;
    private BenchApp _sharedTier = null!;
    private string _token = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var port = FreeLoopbackPort();
        _redis = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua"]);
        _redis.Start();

        var credentials = BenchCredentials.Create();
        _token = credentials.JoinMe;
        _memoryOnly = BenchApp.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, credentials.Emulator.CreateBackchannelHandler());
        _sharedTier = BenchApp.Create(
            JoinMeAuthenticationDefaults.AuthenticationScheme,
            credentials.Emulator.CreateBackchannelHandler(),
            services => services.AddJoinMeRedisCache($"127.0.0.1:{port}"));
        await ExpectCachedAsync(_memoryOnly);
        await ExpectCachedAsync(_sharedTier);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _memoryOnly.DisposeAsync();
        await _sharedTier.DisposeAsync();
        _redis.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JoinMe, cache hit, memory only")]
    public Task<AuthenticateResult> MemoryOnly() => AuthenticateAsync(_memoryOnly);

    [Benchmark(Description = "JoinMe, cache hit, Redis shared tier on")]
    public Task<AuthenticateResult> SharedTier() => AuthenticateAsync(_sharedTier);

    private async Task<AuthenticateResult> AuthenticateAsync(BenchApp app)
    {
        var context = new DefaultHttpContext();
        var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            context.RequestServices = scope.ServiceProvider;
            context.Request.Headers.Authorization = _token;
            return await context.AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        }
    }

    private async Task ExpectCachedAsync(BenchApp app)
    {
        for (var i = 0; i < 2; i++)
        {
            var result = await AuthenticateAsync(app);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"The token was not accepted: {result.Failure?.Message}");
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
