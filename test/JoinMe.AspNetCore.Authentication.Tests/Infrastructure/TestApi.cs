using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Net.Http.Headers;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// The sample API (<c>WebApplicationFactory&lt;Program&gt;</c>) in the "Testing" environment, with one fake clock for every part of it (the handler,
/// the resilience pipeline, the emulator), a <see cref="TokenInfoEdge"/> in the tokenInfo client, logs collected by <see cref="FakeLogCollector"/>,
/// and a probe endpoint, <c>/__test/auth/{scheme}</c>, that authenticates with any scheme and answers with what the ticket holds.
/// Configure it, then use it: the host starts on first use.
/// </summary>
public sealed class TestApi : IAsyncDisposable
{
    public const string Scheme = JoinMeAuthenticationDefaults.AuthenticationScheme;

    public const string ClientId = TokenInfoReply.AllowedClientId;

    /// <summary>A request header that the test host turns into the connection's remote address, as forwarded-headers middleware would.</summary>
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public static readonly DateTimeOffset StartTime = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly ConcurrentQueue<string> _surfaces = new();
    // The sample's Development-only emulator stays off whatever the environment.
    private readonly Dictionary<string, string?> _settings = new() { ["Sample:UseEmulator"] = "false" };
    private readonly List<IConfigurationSource> _configurationSources = [];
    private LogLevel _logLevel = LogLevel.Warning;
    private bool _emulator;
    private bool _kestrel;
    private WebApplicationFactory<Program>? _root;
    private WebApplicationFactory<Program>? _factory;
    private HttpClient? _client;
    private MeterListener? _meterListener;

    public TestApi()
        : this(new FakeTimeProvider(StartTime), emulator: null)
    {
    }

    /// <summary>An instance of a cluster: several test APIs on one fake clock and one emulator.</summary>
    public TestApi(FakeTimeProvider time, JoinMeEmulator? emulator)
    {
        Time = time;
        Clock = new TimerCountingClock(Time);
        TokenInfo = new TokenInfoEdge(Clock);
        Emulator = emulator ?? new JoinMeEmulator(timeProvider: Clock);
    }

    /// <summary>The fake time; move it with <c>Advance</c>.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The clock every part of the app reads: the fake time, with its timers counted.</summary>
    public TimerCountingClock Clock { get; }

    public TokenInfoEdge TokenInfo { get; }

    /// <summary>The emulator tokenInfo calls go to after <see cref="UsingEmulator"/>.</summary>
    public JoinMeEmulator Emulator { get; }

    /// <summary>
    /// Requests that found nothing usable in the cache, as the package's own metric (<c>joinme.cache.misses</c>) counts them: once counted, a
    /// request asks tokenInfo, waits for the call under way, or finds the answer that call stored.
    /// </summary>
    public Counter Misses { get; } = new();

    /// <summary>Requests that reached the server, and requests whose server-side processing ended, however it ended.</summary>
    public Counter Arrived { get; } = new();

    public Counter Finished { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    public IServiceProvider Services => Factory.Services;

    public HttpClient Client => _client ??= CreateClient();

    /// <summary>Every log line the app wrote at <see cref="CaptureLogsAt"/>'s level or above, even when the host failed to start.</summary>
    public FakeLogCollector Logs { get; } = new();

    public JoinMeOptions Options => Services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(Scheme);

    public JoinMeTokenCache Tokens => Services.GetRequiredService<JoinMeTokenCache>();

    /// <summary>The in-memory server; not there when the host runs on Kestrel.</summary>
    public TestServer Server => Factory.Server;

    /// <summary>The loopback address Kestrel listens on, after <see cref="OnKestrel"/>.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Whether every failure message and challenge is kept for <see cref="Texts"/>; off for floods, whose memory is measured.</summary>
    public bool KeepTexts { get; set; } = true;

    /// <summary>Every log line (message, structured values, exception) and every authentication failure message and challenge header, to look for leaks in.</summary>
    public IEnumerable<(string Where, string Text)> Texts =>
        Logs.GetSnapshot().Select(log => ($"log {log.Level} {log.Category}[{log.Id.Id}]",
                $"{log.Message} {string.Join(' ', log.StructuredState?.Select(pair => pair.Value) ?? [])} {log.Exception}"))
            .Concat(_surfaces.Select(text => ("failure message or challenge", text)));

    private WebApplicationFactory<Program> Factory => _factory ??= CreateFactory();

    /// <summary>Configures the default scheme's options, after configuration has been read.</summary>
    public TestApi Configure(Action<JoinMeOptions> configure) => WithServices(services => services.Configure(Scheme, configure));

    /// <summary>Changes the tokenInfo client's resilience (Microsoft.Extensions.Http.Resilience's standard handler), after the package's defaults.</summary>
    public TestApi WithResilience(Action<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions> configure) =>
        WithServices(services => services.Configure(JoinMeAuthenticationDefaults.ResilienceOptionsName, configure));

    /// <summary>Attempts as long as a minute, so that <see cref="JoinMeOptions.TokenInfoTimeout"/> is what bounds a call.</summary>
    public TestApi WithLongAttempts() => WithResilience(options =>
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(1);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(3);
    });

    /// <summary>The circuit breaker never opens: for runs of many failing calls one after the other (the breaker has tests of its own).</summary>
    public TestApi KeepCircuitClosed() => WithResilience(options => options.CircuitBreaker.MinimumThroughput = int.MaxValue);

    /// <summary>Sets a configuration value (in memory, over appsettings.json).</summary>
    public TestApi WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds configuration the test can change while the app runs.</summary>
    public TestApi WithSettings(ReloadableSettings settings)
    {
        _configurationSources.Add(settings);
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

    /// <summary>tokenInfo calls go to <see cref="Emulator"/>, in memory, unless the edge has a script for them.</summary>
    public TestApi UsingEmulator()
    {
        _emulator = true;
        TokenInfo.PassesThrough();
        return this;
    }

    /// <summary>The app runs on Kestrel at a loopback port the system picks, and the client talks to it over a socket.</summary>
    public TestApi OnKestrel()
    {
        _kestrel = true;
        return this;
    }

    /// <summary>tokenInfo calls go over real sockets to <paramref name="authority"/> (the handler's own SocketsHttpHandler), unless scripted.</summary>
    public TestApi OverNetwork(Uri authority)
    {
        TokenInfo.PassesThrough();
        return WithSchemeSetting("Authority", authority.ToString().TrimEnd('/')).WithSchemeSetting("RequireHttpsAuthority", "false");
    }

    /// <summary>Starts the host (the tests of start-up failures call it).</summary>
    public void Start() => _ = Client;

    /// <summary>Mints a live token for the sample's client in the emulator.</summary>
    public string Mint(string scope = TokenInfoReply.AllScopes)
    {
        Start(); // the client is registered with the emulator as the host starts
        return Emulator.MintToken(ClientId, scope).AccessToken;
    }

    /// <summary>GET with <c>Authorization: Bearer {token}</c>, or no Authorization header when <paramref name="token"/> is null.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token is null ? null : "Bearer " + token);

    public Task<HttpResponseMessage> PostAsync(string path, string? token = null) => SendAsync(HttpMethod.Post, path, token is null ? null : "Bearer " + token);

    /// <summary>GET with a bearer token, cancelled by <paramref name="cancellationToken"/> (the client gives up and the request is aborted).</summary>
    public Task<HttpResponseMessage> GetCancellableAsync(string path, string token, CancellationToken cancellationToken) =>
        Send(HttpMethod.Get, path, "Bearer " + token, cancellationToken);

    /// <summary>GET with a bearer token, from the client at <paramref name="remoteAddress"/>.</summary>
    public Task<HttpResponseMessage> GetFromAsync(string remoteAddress, string path, string token) => GetWithHeadersAsync(path, headers =>
    {
        headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        headers.Add(RemoteAddressHeader, remoteAddress);
    });

    /// <summary>GET with the headers <paramref name="headers"/> sets (several Authorization values, a header of the app's own, a remote address).</summary>
    public Task<HttpResponseMessage> GetWithHeadersAsync(string path, Action<HttpRequestHeaders> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers(request.Headers);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs the app's health checks once.</summary>
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport> CheckHealthAsync() =>
        Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    /// <summary>Sends a request with a raw <c>Authorization</c> header value, sent as is.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? authorization) =>
        Send(method, path, authorization, TestContext.Current.CancellationToken);

    /// <summary>
    /// Sends a request built straight on the server's <see cref="HttpContext"/>: header values go in exactly as given, even those an HTTP
    /// client or Kestrel would refuse to carry (CR/LF, control characters, non-ASCII).
    /// </summary>
    public async Task<RawResponse> SendRawAsync(string path, IReadOnlyList<string> authorization, string? query = null, string method = "GET")
    {
        var context = await Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            if (query is not null)
            {
                c.Request.QueryString = new QueryString(query);
            }

            if (authorization.Count > 0)
            {
                c.Request.Headers[HeaderNames.Authorization] = authorization.ToArray();
            }
        }, TestContext.Current.CancellationToken);

        var headers = context.Response.Headers;
        return new RawResponse(
            context.Response.StatusCode,
            headers.WWWAuthenticate.Count == 0 ? null : string.Join(" | ", headers.WWWAuthenticate.ToArray()),
            headers.RetryAfter.Count == 0 ? null : headers.RetryAfter.ToString());
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

    /// <summary>Collects the app's measurements of one of the package's instruments, from now on.</summary>
    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(Services.GetRequiredService<IMeterFactory>(), JoinMeAuthenticationDefaults.TelemetryName, instrument);

    public async ValueTask DisposeAsync()
    {
        TokenInfo.ReleaseCalls();
        _meterListener?.Dispose();
        _client?.Dispose();

        // The app's clock is fake: a call a failed test left under way ends only when that clock passes its TokenInfoTimeout, and Polly's
        // pipelines, when disposed, wait for their executions on that same clock. Time moves until the host is gone, so a failed test ends
        // with its failure instead of hanging the run.
        using var disposed = new CancellationTokenSource();
        var clockPump = Task.Run(async () =>
        {
            while (!disposed.IsCancellationRequested)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(10, CancellationToken.None);
            }
        });
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
        finally
        {
            await disposed.CancelAsync();
            await clockPump;
        }
    }

    private HttpClient CreateClient()
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (_kestrel)
        {
            Factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            Factory.StartServer();
            Address = new Uri(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            options.BaseAddress = Address;
        }

        var client = Factory.CreateClient(options);
        ListenToMisses(Factory.Services.GetRequiredService<IMeterFactory>());

        // A hang guard, not a wait. Tests hold requests across several steps of fake time, each step bounded by Wait.HangGuard; a shorter
        // client timeout cancelled a held request on a loaded machine before its test had moved the clock that ends it.
        client.Timeout = Wait.HangGuard * 6;
        return client;
    }

    private void ListenToMisses(IMeterFactory meterFactory)
    {
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Only this host's meter: other tests run their own hosts side by side.
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "joinme.cache.misses")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((_, value, _, _) => Misses.Increment());
        _meterListener.Start();
    }

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

    private WebApplicationFactory<Program> CreateFactory()
    {
        _root = new WebApplicationFactory<Program>();
        var factory = _root.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration((_, configuration) =>
            {
                configuration.AddInMemoryCollection(_settings);
                _configurationSources.ForEach(source => configuration.Add(source));
            });
            // The filter of the collector's own, so that the sample's "Logging" configuration (Information by default) does not override the level.
            builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(_logLevel).AddProvider(new FakeLoggerProvider(Logs))
                .AddFilter<FakeLoggerProvider>(null, _logLevel));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock).AddSingleton<IStartupFilter>(new ProbeStartupFilter(this)));
        });
        if (_emulator)
        {
            factory = factory.WithJoinMeEmulator(Emulator, ClientId);
        }

        return factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName).AddHttpMessageHandler(TokenInfo.CreateHandler);
            foreach (var configure in _services)
            {
                configure(services);
            }
        }));
    }

    /// <summary>
    /// Counts requests, serves <c>/__test/auth/{scheme}</c> ahead of the sample's own pipeline, and keeps every authentication failure's full
    /// text and challenge header.
    /// </summary>
    private sealed class ProbeStartupFilter(TestApi api) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                api.Arrived.Increment();
                if (context.Request.Headers[RemoteAddressHeader] is [{ } address])
                {
                    context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
                }

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

                    if (api.KeepTexts)
                    {
                        if ((await context.AuthenticateAsync(Scheme)).Failure is { } failure)
                        {
                            api._surfaces.Enqueue(failure.ToString());
                        }

                        foreach (var challenge in context.Response.Headers.WWWAuthenticate)
                        {
                            api._surfaces.Enqueue(challenge ?? string.Empty);
                        }
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

/// <summary>What a raw request got back.</summary>
public sealed record RawResponse(int Status, string? WwwAuthenticate, string? RetryAfter);

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
    public static System.Security.Claims.ClaimsPrincipal With(string authenticationType, params (string Type, string Value)[] claims) =>
        new(new System.Security.Claims.ClaimsIdentity(claims.Select(claim => new System.Security.Claims.Claim(claim.Type, claim.Value)), authenticationType));
}
