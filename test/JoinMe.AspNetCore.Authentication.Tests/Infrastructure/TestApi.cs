using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// The sample API (<c>WebApplicationFactory&lt;Program&gt;</c>) in the "Testing" environment, with a fake tokenInfo endpoint in the
/// named client, a <see cref="FakeTimeProvider"/>, captured logs, and a probe endpoint, <c>/__test/auth/{scheme}</c>, that
/// authenticates with any scheme and answers with what the ticket holds. Configure it, then use it: the host starts on first use.
/// </summary>
public sealed class TestApi : IAsyncDisposable
{
    public const string Scheme = JoinMeAuthenticationDefaults.AuthenticationScheme;

    public static readonly DateTimeOffset StartTime = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<Action<JoinMeOptions>> _options = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    // The sample's Development-only emulator stays off whatever the environment.
    private readonly Dictionary<string, string?> _settings = new() { ["Sample:UseEmulator"] = "false" };
    private LogLevel _logLevel = LogLevel.Warning;
    private WebApplicationFactory<Program>? _root;
    private WebApplicationFactory<Program>? _factory;
    private HttpClient? _client;
    private MeterListener? _meterListener;

    public TestApi()
    {
        Time = new FakeTimeProvider(StartTime);
        TokenInfo = new FakeTokenInfo(Time);
    }

    public FakeTimeProvider Time { get; }

    public FakeTokenInfo TokenInfo { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Requests that reached the server.</summary>
    public Counter Arrived { get; } = new();

    /// <summary>Requests whose server-side processing ended, however it ended.</summary>
    public Counter Finished { get; } = new();

    /// <summary>
    /// Requests that joined a tokenInfo call already under way, as the package's own metric
    /// (<c>joinme.tokeninfo.merged_waiters</c>) reports them: once counted, a request holds the shared call's result.
    /// </summary>
    public Counter JoinedWaiters { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    public IServiceProvider Services => Factory.Services;

    public HttpClient Client => _client ??= CreateClient();

    private WebApplicationFactory<Program> Factory => _factory ??= CreateFactory();

    /// <summary>Configures the default scheme's options, after configuration has been read.</summary>
    public TestApi Configure(Action<JoinMeOptions> configure)
    {
        _options.Add(configure);
        return this;
    }

    /// <summary>Sets a configuration value (in memory, over appsettings.json).</summary>
    public TestApi WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Sets a value under <c>Authentication:Schemes:JoinMe</c>.</summary>
    public TestApi WithSchemeSetting(string name, string? value) => WithSetting($"Authentication:Schemes:{Scheme}:{name}", value);

    public TestApi WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    public TestApi CaptureLogsAt(LogLevel level)
    {
        _logLevel = level;
        return this;
    }

    /// <summary>Starts the host (the tests of start-up failures call it).</summary>
    public void Start() => _ = Client;

    /// <summary>GET with <c>Authorization: Bearer {token}</c>, or no Authorization header when <paramref name="token"/> is null.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token = null) =>
        SendAsync(HttpMethod.Get, path, token is null ? null : "Bearer " + token);

    public Task<HttpResponseMessage> PostAsync(string path, string? token = null) =>
        SendAsync(HttpMethod.Post, path, token is null ? null : "Bearer " + token);

    /// <summary>GET with a bearer token, cancelled by <paramref name="cancellationToken"/> (the client gives up and the request is aborted).</summary>
    public Task<HttpResponseMessage> GetCancellableAsync(string path, string token, CancellationToken cancellationToken) =>
        Send(HttpMethod.Get, path, "Bearer " + token, cancellationToken);

    /// <summary>Sends a request with a raw <c>Authorization</c> header value, sent as is.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? authorization) =>
        Send(method, path, authorization, TestContext.Current.CancellationToken);

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? authorization, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(string.Empty);
        }

        return Client.SendAsync(request, cancellationToken);
    }

    /// <summary>Authenticates with <paramref name="scheme"/> through the probe endpoint and returns what the ticket holds.</summary>
    public async Task<ProbeResult> ProbeAsync(string token, string scheme = Scheme)
    {
        using var response = await GetAsync($"/__test/auth/{scheme}", token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProbeResult>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>GET /api/me: the sample's endpoint for any valid token, echoing its claims.</summary>
    public async Task<Me> MeAsync(string token)
    {
        using var response = await GetAsync("/api/me", token);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Me>(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        _meterListener?.Dispose();
        _client?.Dispose();
        try
        {
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }

            if (_root is not null)
            {
                await _root.DisposeAsync();
            }
        }
        catch (Exception) when (_client is null)
        {
            // A host that failed to start may fail to stop too; the test already saw why.
        }

        TokenInfo.ReleaseCalls();
    }

    private HttpClient CreateClient()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        ListenToJoinedWaiters(Factory.Services.GetRequiredService<IMeterFactory>());

        // A guard, not a wait: a test that hangs fails in seconds instead of the default 100.
        client.Timeout = TimeSpan.FromSeconds(20);
        return client;
    }

    private void ListenToJoinedWaiters(IMeterFactory meterFactory)
    {
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Only this host's meter: other tests run their own hosts side by side.
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "joinme.tokeninfo.merged_waiters")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            for (var i = 0; i < value; i++)
            {
                JoinedWaiters.Increment();
            }
        });
        _meterListener.Start();
    }

    private WebApplicationFactory<Program> CreateFactory()
    {
        _root = new WebApplicationFactory<Program>();
        return _root.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(Logs);
                logging.AddFilter<CapturedLogs>(null, _logLevel);
            });
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => TokenInfo);
                services.AddSingleton<IStartupFilter>(new ProbeStartupFilter(this));
                foreach (var configure in _options)
                {
                    services.Configure(Scheme, configure);
                }

                foreach (var configure in _services)
                {
                    configure(services);
                }
            });
        });
    }

    /// <summary>Counts requests, and serves <c>/__test/auth/{scheme}</c> ahead of the sample's own pipeline.</summary>
    private sealed class ProbeStartupFilter(TestApi api) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                api.Arrived.Increment();
                try
                {
                    if (context.Request.Path.StartsWithSegments("/__test/auth", out var rest))
                    {
                        await ProbeAsync(context, rest.Value!.Trim('/'));
                    }
                    else
                    {
                        await nextMiddleware(context);
                    }
                }
                finally
                {
                    api.Finished.Increment();
                }
            });
            next(app);
        };

        private static async Task ProbeAsync(HttpContext context, string scheme)
        {
            var result = await context.AuthenticateAsync(scheme);
            if (!result.Succeeded)
            {
                await context.ChallengeAsync(scheme);
                return;
            }

            await context.Response.WriteAsJsonAsync(new ProbeResult
            {
                Claims = [.. result.Principal.Claims.Select(claim => new ProbeClaim(claim.Type, claim.Value))],
                ExpiresUtc = result.Properties.ExpiresUtc,
                AccessToken = await context.GetTokenAsync(scheme, "access_token"),
                AuthenticationType = result.Principal.Identity?.AuthenticationType,
            });
        }
    }
}

public sealed record ProbeClaim(string Type, string Value);

public sealed record ProbeResult
{
    public IReadOnlyList<ProbeClaim> Claims { get; init; } = [];

    public DateTimeOffset? ExpiresUtc { get; init; }

    public string? AccessToken { get; init; }

    public string? AuthenticationType { get; init; }

    public IEnumerable<string> ValuesOf(string type) => Claims.Where(claim => claim.Type == type).Select(claim => claim.Value);
}

/// <summary>What GET /api/me answers.</summary>
public sealed record Me(
    [property: System.Text.Json.Serialization.JsonPropertyName("client_id")] string? ClientId,
    [property: System.Text.Json.Serialization.JsonPropertyName("scopes")] string[] Scopes,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_at")] string? ExpiresAt);

public static class HttpResponseMessageExtensions
{
    /// <summary>The raw <c>WWW-Authenticate</c> value(s), joined with " | " if several, or <see langword="null"/> if none.</summary>
    public static string? WwwAuthenticate(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? string.Join(" | ", values) : null;

    /// <summary>The raw <c>Retry-After</c> value, or <see langword="null"/> if none.</summary>
    public static string? RetryAfter(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Retry-After", out var values) ? string.Join(" | ", values) : null;

    public static void AddBearer(this HttpRequestHeaders headers, string token) => headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
}

public static class ClaimsPrincipalFactory
{
    public static ClaimsPrincipal With(string authenticationType, params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), authenticationType));
}
