using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>
/// A small API on TestServer, protected by join.me (client <see cref="ClientId"/>) and described by
/// <c>AddOpenApi(o =&gt; o.AddJoinMeSecurity())</c>, whose <c>/openapi/v1.json</c> the tests read as JSON.
/// </summary>
public sealed class DescribedApp : IAsyncDisposable
{
    /// <summary>The API key the app accepts.</summary>
    public const string ClientId = "test-client";

    private readonly WebApplication _app;

    private DescribedApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    /// <summary>An HTTP client of the app.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Starts an app whose endpoints <paramref name="map"/> maps, with this project's controllers when <paramref name="controllers"/>
    /// is set. <paramref name="services"/> adds to the services; <paramref name="openApi"/> replaces <c>AddJoinMeSecurity()</c>.
    /// </summary>
    public static async Task<DescribedApp> StartAsync(
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        Action<OpenApiOptions>? openApi = null,
        bool controllers = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        // The output folder also holds the sample's appsettings.json: not this app's.
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme)
            .AddJoinMe(options => options.AllowedClientIds.Add(ClientId));
        builder.Services.AddAuthorization();
        builder.Services.AddOpenApi(openApi ?? (options => options.AddJoinMeSecurity()));
        if (controllers)
        {
            // This project's controllers only, not the sample's, whose assembly the output folder also holds.
            builder.Services.AddControllers().ConfigureApplicationPartManager(parts =>
            {
                parts.ApplicationParts.Clear();
                parts.ApplicationParts.Add(new AssemblyPart(typeof(DescribedApp).Assembly));
            });
        }

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        app.MapOpenApi().AllowAnonymous(); // even under a fallback policy
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DescribedApp(app);
    }

    /// <summary>Fetches <c>/openapi/v1.json</c>.</summary>
    public async Task<JsonObject> GetDocumentAsync()
    {
        var json = await Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
