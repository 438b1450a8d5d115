using System.Collections.Concurrent;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;
using JoinMe.AspNetCore.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;

namespace JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

/// <summary>Where the sample's tokenInfo calls go.</summary>
public enum TokenInfoSource
{
    /// <summary>The project's join.me emulator, in memory (<c>WithJoinMeEmulator</c>).</summary>
    Emulator,

    /// <summary>A <see cref="ScriptedTokenInfo"/> as the named client's primary handler.</summary>
    Scripted,

    /// <summary>The handler's own SocketsHttpHandler, over loopback sockets to the configured authority.</summary>
    Network,
}

/// <summary>
/// The sample API through <c>WebApplicationFactory&lt;Program&gt;</c>, with a <see cref="FakeTimeProvider"/> for every clock (the handler's,
/// the cache's, Polly's, the emulator's), a <see cref="TokenInfoEdge"/> in the named client, logs captured at Trace from every category,
/// and every authentication failure message and challenge kept, so that tests can look for leaked tokens in all of them.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    public const string Scheme = JoinMeAuthenticationDefaults.AuthenticationScheme;
    public const string ClientId = "demo-client";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplicationFactory<Program> _root;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly ConcurrentQueue<string> _surfaces = new();

    public SampleHost(
        TokenInfoSource source = TokenInfoSource.Emulator,
        Action<JoinMeOptions>? options = null,
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Reply? defaultReply = null,
        bool kestrel = false,
        LogLevel logLevel = LogLevel.Trace)
    {
        Clock = new TimerCountingClock(Time);
        Emulator = new JoinMeEmulator(timeProvider: Clock);
        Scripted = new ScriptedTokenInfo(defaultReply ?? Reply.Status(401));
        var configuration = new Dictionary<string, string?> { ["Sample:UseEmulator"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        _root = new WebApplicationFactory<Program>();
        var factory = _root.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            if (kestrel)
            {
                // Loopback only, on a port the system picks.
                builder.UseSetting("urls", "http://127.0.0.1:0");
            }

            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(configuration));
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(logLevel);
                logging.AddProvider(Logs);
                logging.AddFilter<CapturedLogs>(null, logLevel);
            });
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton<TimeProvider>(Clock);
                s.AddSingleton<IStartupFilter>(new SurfaceRecorder(_surfaces));
            });
        });

        if (source == TokenInfoSource.Emulator)
        {
            factory = factory.WithJoinMeEmulator(Emulator, ClientId);
        }

        _factory = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(s =>
        {
            var client = s.AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName);
            if (source == TokenInfoSource.Scripted)
            {
                client.ConfigurePrimaryHttpMessageHandler(() => Scripted);
            }

            client.AddHttpMessageHandler(Edge.CreateHandler);
            if (options is not null)
            {
                s.Configure(Scheme, options);
            }

            services?.Invoke(s);
        }));

        var clientOptions = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (kestrel)
        {
            _factory.UseKestrel();
            _factory.StartServer();
            Address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            clientOptions.BaseAddress = Address;
        }

        Client = _factory.CreateClient(clientOptions);
    }

    /// <summary>The fake time; move it with <c>Advance</c>.</summary>
    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The clock every part of the app reads (the fake time, with its timers counted).</summary>
    public TimerCountingClock Clock { get; }

    /// <summary>The shared tokenInfo calls now running.</summary>
    public TokenInfoCallCoalescer Calls => Services.GetRequiredService<TokenInfoCallCoalescer>();

    public JoinMeEmulator Emulator { get; }

    public ScriptedTokenInfo Scripted { get; }

    public TokenInfoEdge Edge { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public HttpClient Client { get; }

    /// <summary>The loopback address Kestrel listens on, when the host runs on Kestrel.</summary>
    public Uri? Address { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The in-memory server; not there when the host runs on Kestrel.</summary>
    public TestServer Server => _factory.Server;

    /// <summary>Every authentication failure's full text and every challenge header the app wrote.</summary>
    public IReadOnlyCollection<string> Surfaces => _surfaces;

    /// <summary>Every captured log line (message, structured values, scopes, exception) and every failure message and challenge.</summary>
    public IEnumerable<(string Where, string Text)> Texts =>
        Logs.Entries.Select(log => ($"log {log.Level} {log.Category}[{log.EventId.Id}]", log.Text + " " + log.Exception))
            .Concat(Surfaces.Select(text => ("failure message or challenge", text)));

    public JoinMeOptions Options => Services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(Scheme);

    public TokenInfoResilienceRegistry Resilience => Services.GetRequiredService<TokenInfoResilienceRegistry>();

    /// <summary>Mints a live token for the sample's client in the emulator.</summary>
    public string Mint(string scope = "user_info scheduler start_meeting") => Emulator.MintToken(ClientId, scope).AccessToken;

    /// <summary>GET <paramref name="path"/> with <c>Authorization: Bearer {token}</c> through the HTTP client.</summary>
    public Task<HttpResponseMessage> GetAsync(string token, string path = "/api/me") =>
        GetCancellableAsync(token, path, TestContext.Current.CancellationToken);

    /// <summary>GET with a bearer token that the client gives up on when <paramref name="cancellationToken"/> fires.</summary>
    public Task<HttpResponseMessage> GetCancellableAsync(string token, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return Client.SendAsync(request, cancellationToken);
    }

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

    public async ValueTask DisposeAsync()
    {
        Edge.OpenGate();
        Client.Dispose();
        await _factory.DisposeAsync();
        await _root.DisposeAsync();
    }

    /// <summary>Keeps, after every request, the full text of its authentication failure and its challenge header.</summary>
    private sealed class SurfaceRecorder(ConcurrentQueue<string> surfaces) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                var result = await context.AuthenticateAsync(Scheme);
                if (result.Failure is { } failure)
                {
                    surfaces.Enqueue(failure.ToString());
                }

                foreach (var challenge in context.Response.Headers.WWWAuthenticate)
                {
                    surfaces.Enqueue(challenge ?? string.Empty);
                }
            });
            next(app);
        };
    }
}

/// <summary>What a raw request got back.</summary>
public sealed record RawResponse(int Status, string? WwwAuthenticate, string? RetryAfter);

public static class ResponseExtensions
{
    /// <summary>The raw <c>WWW-Authenticate</c> value(s), joined with " | ", or <see langword="null"/> when there is none.</summary>
    public static string? WwwAuthenticate(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(HeaderNames.WWWAuthenticate, out var values) ? string.Join(" | ", values) : null;

    /// <summary>The raw <c>Retry-After</c> value, or <see langword="null"/> when there is none.</summary>
    public static string? RetryAfter(this HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(HeaderNames.RetryAfter, out var values) ? string.Join(" | ", values) : null;
}
