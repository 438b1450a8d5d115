using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// The join.me emulator served over HTTP on a loopback port (Kestrel, <c>MapJoinMeEmulator</c>), for tests of the handler's own
/// SocketsHttpHandler. Tokens listed in <see cref="Redirected"/> are answered with a 302 to <c>/collect</c>, which counts every visit.
/// </summary>
internal sealed class LoopbackJoinMe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _collected;

    private LoopbackJoinMe(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
        Emulator = app.Services.GetRequiredService<JoinMeEmulator>();
        Emulator.RegisterClient(TestApi.ClientId, "http://localhost/callback");
    }

    public Uri Authority { get; }

    public JoinMeEmulator Emulator { get; }

    public HashSet<string> Redirected { get; } = new(StringComparer.Ordinal);

    /// <summary>How many requests followed a redirect to <c>/collect</c>.</summary>
    public int Collected => Volatile.Read(ref _collected);

    /// <summary>The settings that point the sample's scheme at this server.</summary>
    public IReadOnlyDictionary<string, string?> SampleSettings => new Dictionary<string, string?>
    {
        [$"Authentication:Schemes:{TestApi.Scheme}:Authority"] = Authority.ToString().TrimEnd('/'),
        [$"Authentication:Schemes:{TestApi.Scheme}:RequireHttpsAuthority"] = "false",
    };

    public static async Task<LoopbackJoinMe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddJoinMeEmulator();
        var app = builder.Build();
        LoopbackJoinMe? server = null;
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/collect")
            {
                Interlocked.Increment(ref server!._collected);
                context.Response.StatusCode = StatusCodes.Status200OK;
                await context.Response.WriteAsync("""{"client_id":"demo-client","scope":"user_info"}""");
                return;
            }

            if (context.Request.Path == JoinMeAuthenticationDefaults.TokenInfoPath
                && server!.Redirected.Contains(context.Request.Query["access_token"].ToString()))
            {
                context.Response.Redirect($"{server.Authority}collect{context.Request.QueryString}");
                return;
            }

            await next(context);
        });
        app.MapJoinMeEmulator();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new LoopbackJoinMe(app, new Uri(address + "/"));
        return server;
    }

    /// <summary>A loopback port with nothing listening on it: connections to it are refused.</summary>
    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
