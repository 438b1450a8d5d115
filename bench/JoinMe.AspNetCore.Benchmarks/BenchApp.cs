using System.Diagnostics;
using System.Security.Claims;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// An in-process copy of the sample's API for the benchmarks: the same services (JoinMe from configuration-free options,
/// plus the two JwtBearer schemes), the same middleware (routing, authentication, authorization, endpoints) and the same
/// endpoints, with no server: each call runs the pipeline on a fresh <see cref="DefaultHttpContext"/> and a fresh request scope,
/// as Kestrel would. Logging has no provider, as a production app at Warning writes nothing per request.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    public const string ClientId = "demo-client";
    public const string Scopes = "scheduler user_info";

    private readonly ServiceProvider _services;
    private readonly IServiceScopeFactory _scopeFactory;

    private BenchApp(ServiceProvider services, RequestDelegate pipeline)
    {
        _services = services;
        _scopeFactory = services.GetRequiredService<IServiceScopeFactory>();
        Pipeline = pipeline;
    }

    public IServiceProvider Services => _services;

    public RequestDelegate Pipeline { get; }

    /// <summary>
    /// Builds the app with <paramref name="defaultScheme"/> as the scheme <c>UseAuthentication</c> runs, and
    /// <paramref name="tokenInfo"/> as the primary handler of JoinMe's tokenInfo client; <paramref name="configure"/> adds services (a shared tier).
    /// </summary>
    public static BenchApp Create(string defaultScheme, HttpMessageHandler tokenInfo, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(new DiagnosticListener("Microsoft.AspNetCore"));
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddRouting();
        services.AddAuthentication(defaultScheme)
            // The benchmarks bring one client's many new tokens (the cold path evicts and asks again on every operation).
            .AddJoinMe(options =>
            {
                options.AllowedClientIds.Add(ClientId);
                options.MaxCacheMissesPerCallerPerMinute = 0;
            })
            .AddBenchJwtBearer();
        services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokenInfo);
        services.AddAuthorization();
        configure?.Invoke(services);

        var provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpoints(MapSampleEndpoints);
        return new BenchApp(provider, app.Build());
    }

    /// <summary>The sample's endpoints (samples/WebApi/Program.cs), and a control: the meetings body without any policy.</summary>
    public static void MapSampleEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/ping", () => Results.Ok(new { status = "ok" })).AllowAnonymous();

        api.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            client_id = user.FindFirstValue(JoinMeClaimTypes.ClientId),
            scopes = user.FindAll(JoinMeClaimTypes.Scope).Select(claim => claim.Value).ToArray(),
            expires_at = user.FindFirstValue(JoinMeClaimTypes.ExpiresAt),
        })).RequireAuthorization();

        api.MapGet("/meetings", Meetings).RequireScope(JoinMeScopes.Scheduler);

        endpoints.MapGet("/control/meetings", Meetings).AllowAnonymous();
    }

    /// <summary>Runs one request through the pipeline and returns its status code.</summary>
    public async Task<int> SendAsync(string path, string? authorization)
    {
        var context = new DefaultHttpContext();
        var scope = _scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            context.RequestServices = scope.ServiceProvider;
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }

            context.Response.Body = Stream.Null;
            await Pipeline(context).ConfigureAwait(false);
            return context.Response.StatusCode;
        }
    }

    /// <summary>Sends <paramref name="path"/> and throws unless it answers <paramref name="expected"/>.</summary>
    public async Task ExpectAsync(string path, string? authorization, int expected = StatusCodes.Status200OK)
    {
        var status = await SendAsync(path, authorization).ConfigureAwait(false);
        if (status != expected)
        {
            throw new InvalidOperationException($"GET {path} answered {status}, not {expected}: the benchmark would measure the wrong thing.");
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static IResult Meetings() => Results.Ok(new[]
    {
        new { meetingId = 1001, subject = "Weekly planning", startDate = "2026-12-01T09:00:00Z" },
        new { meetingId = 1002, subject = "Customer demo", startDate = "2026-12-02T15:30:00Z" },
    });
}
