using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Performance.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Performance.Tests;

/// <summary>
/// Cold bursts through the sample: many simultaneous requests carrying one token nobody has seen must make one tokenInfo call
/// between them. The fake tokenInfo holds each call until every request of the burst is accounted for (the call itself, or a
/// request that joined it, as the <c>joinme.tokeninfo.merged_waiters</c> metric says), so that the whole burst is in flight at once.
/// </summary>
public sealed class ColdBurstTests
{
    /// <summary>Set <c>JOINME_COLD_BURSTS</c> to run another number of bursts (bench/cold-bursts.sh does).</summary>
    public const string BurstsVariable = "JOINME_COLD_BURSTS";

    private const int DefaultBursts = 1_000;
    private const int RequestsPerBurst = 200;
    private static readonly TimeSpan HoldAtMost = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Every_burst_of_simultaneous_requests_with_a_new_token_makes_exactly_one_tokenInfo_call()
    {
        var bursts = int.TryParse(Environment.GetEnvironmentVariable(BurstsVariable), CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : DefaultBursts;
        var tokenInfo = new CountingTokenInfo();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting("Sample:UseEmulator", "false")
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureTestServices(services => services
                .AddHttpClient(JoinMeAuthenticationDefaults.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => tokenInfo)));
        using var client = factory.CreateClient();
        using var joins = new JoinedCalls(factory.Services.GetRequiredService<IMeterFactory>());

        var wrong = new List<string>();
        var heldTooLong = 0;
        var clock = Stopwatch.StartNew();
        for (var burst = 0; burst < bursts; burst++)
        {
            var token = NewToken();
            var gate = new BurstGate(RequestsPerBurst);
            joins.Current = gate;
            tokenInfo.Gate = gate.WaitAsync;

            var statuses = await FireAsync(client, token);

            if (!gate.Opened)
            {
                heldTooLong++;
            }

            var calls = tokenInfo.CallsFor(token);
            var failed = statuses.Count(status => status != HttpStatusCode.OK);
            if (calls != 1 || failed > 0)
            {
                wrong.Add($"burst {burst}: {calls} tokenInfo call(s), {failed} request(s) not 200 ({string.Join(", ", statuses.Distinct())})");
            }
        }

        var exactlyOne = bursts - wrong.Count;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"cold bursts: {exactlyOne}/{bursts} bursts of {RequestsPerBurst} simultaneous requests made exactly one tokenInfo call " +
            $"({tokenInfo.Calls} calls in all, {clock.Elapsed.TotalSeconds:F1} s, {heldTooLong} gate(s) opened by time-out)");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Take(10)));
        Assert.Equal(bursts, tokenInfo.Calls);
    }

    private static async Task<HttpStatusCode[]> FireAsync(HttpClient client, string token)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = new Task<HttpStatusCode>[RequestsPerBurst];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = SendAsync(client, token, start.Task);
        }

        start.SetResult();
        return await Task.WhenAll(requests);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string token, Task start)
    {
        await start;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>A token in join.me's shape (24 characters, no 0, 1, i, l, o), never used before.</summary>
    private static string NewToken() => new(RandomNumberGenerator.GetItems<char>("23456789abcdefghjkmnpqrstuvwxyz", 24));

    /// <summary>Opens when every request of a burst is accounted for: calls that reached tokenInfo, and requests that joined one.</summary>
    private sealed class BurstGate(int requests)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _accounted;

        public bool Opened => _open.Task.IsCompleted;

        public void Account(int count)
        {
            if (Interlocked.Add(ref _accounted, count) >= requests)
            {
                _open.TrySetResult();
            }
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Account(1);
            try
            {
                await _open.Task.WaitAsync(HoldAtMost, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Answer anyway: the count of calls tells whether the burst was coalesced.
            }
        }
    }

    /// <summary>Feeds the app's <c>joinme.tokeninfo.merged_waiters</c> measurements to the current burst's gate.</summary>
    private sealed class JoinedCalls : IDisposable
    {
        private readonly MeterListener _listener = new();
        private volatile BurstGate? _current;

        public JoinedCalls(IMeterFactory meterFactory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                    && instrument.Meter.Name == JoinMeAuthenticationDefaults.TelemetryName
                    && instrument.Name == "joinme.tokeninfo.merged_waiters")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _current?.Account((int)value));
            _listener.Start();
        }

        public BurstGate? Current
        {
            set => _current = value;
        }

        public void Dispose() => _listener.Dispose();
    }
}
