using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Performance.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Performance.Tests;

/// <summary>
/// The allocation budget of the cache-hit authenticate step: <c>HttpContext.AuthenticateAsync("JoinMe")</c> for a token the cache
/// knows, as the authentication middleware calls it on a new request (new context, new request scope). That path completes
/// synchronously, so every byte it allocates is allocated on the test's thread and the count is the same on every run.
/// Timings live in bench/JoinMe.AspNetCore.Benchmarks, not here.
/// </summary>
public sealed class CacheHitAllocationTests
{
    /// <summary>
    /// The bytes one cache-hit authenticate step may allocate: measured, plus a little room. Includes what ASP.NET Core itself
    /// allocates for the step (the request's authentication service and handler provider, the handler, the ticket). Debug builds
    /// (what <c>dotnet test</c> builds by default) allocate more, since their async state machines are classes. Lower the budget when
    /// an optimisation lowers the measurement; raise it only for a reason written here.
    /// </summary>
#if DEBUG
    public const long Budget = 3_100; // measured 2,952 (3,192 before the hot-path work of issue 5)
#else
    public const long Budget = 2_700; // measured 2,576 (2,832 before the hot-path work of issue 5)
#endif

    private const int WarmUps = 1_000;
    private const int Measurements = 20;

    [Fact]
    public async Task A_cache_hit_allocates_no_more_than_the_budget()
    {
        var tokenInfo = new CountingTokenInfo();
        await using var services = CreateServices(tokenInfo);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        const string token = "hit2345678923456789abcde";

        // The first request asks tokenInfo (asynchronously); the next ones JIT and settle the cache-hit path.
        Assert.True((await AuthenticateAsync(scopes, token)).Succeeded);
        for (var i = 0; i < WarmUps; i++)
        {
            MeasureCacheHit(scopes, token);
        }

        // The steady state is one number; the least of several runs keeps a rare one-off (tiering, a cache scan) out of it.
        var least = long.MaxValue;
        var most = 0L;
        for (var i = 0; i < Measurements; i++)
        {
            var bytes = MeasureCacheHit(scopes, token);
            least = Math.Min(least, bytes);
            most = Math.Max(most, bytes);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"cache-hit authenticate step: {least} bytes allocated (most {most}); budget {Budget}");
        Assert.Equal(1, tokenInfo.Calls);
        Assert.InRange(least, 1, Budget);
    }

    /// <summary>Authenticates one new request on the calling thread and returns the bytes that thread allocated meanwhile.</summary>
    private static long MeasureCacheHit(IServiceScopeFactory scopes, string token)
    {
        var context = new DefaultHttpContext();
        using var scope = scopes.CreateScope();
        context.RequestServices = scope.ServiceProvider;
        context.Request.Headers.Authorization = "Bearer " + token;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var authentication = context.AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(authentication.IsCompletedSuccessfully, "A cache hit must complete synchronously.");
        Assert.True(authentication.Result.Succeeded);
        return after - before;
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(IServiceScopeFactory scopes, string token)
    {
        var context = new DefaultHttpContext();
        await using var scope = scopes.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        context.Request.Headers.Authorization = "Bearer " + token;
        return await context.AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The handler as an application registers it, with the fake tokenInfo at the edge and no logging provider.</summary>
    private static ServiceProvider CreateServices(CountingTokenInfo tokenInfo)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme)
            .AddJoinMe(options => options.AllowedClientIds.Add(CountingTokenInfo.ClientId));
        services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokenInfo);
        return services.BuildServiceProvider();
    }
}
