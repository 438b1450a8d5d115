using System.Diagnostics.Metrics;
using JoinMe.AspNetCore.Authentication;

namespace JoinMe.AspNetCore.Authentication.Tests.Observability;

/// <summary>An ActivityListener sees every activity in the process: these tests run alone.</summary>
[CollectionDefinition(nameof(ProcessWideListeners), DisableParallelization = true)]
public sealed class ProcessWideListeners;

/// <summary>
/// The ActivitySource "JoinMe.AspNetCore.Authentication": one "JoinMe tokenInfo" activity per shared call, and no token or hash in any
/// tag, name or event of it, nor of the HttpClient and ASP.NET Core activities around it.
/// </summary>
[Collection(nameof(ProcessWideListeners))]
public sealed class TracingTests
{
    private const string TokenInfoActivity = "JoinMe tokenInfo";

    [Fact]
    public async Task One_activity_per_shared_call_whatever_the_number_of_waiters()
    {
        using var activities = new Recorder();
        await using var host = new TestApi().UsingEmulator();
        var shared = host.Mint();
        host.TokenInfo.HoldCalls();

        var burst = Enumerable.Range(0, 10).Select(_ => host.GetAsync("/api/me", shared)).ToArray();
        await host.Misses.WhenAtLeast(10);
        host.TokenInfo.ReleaseCalls();
        foreach (var response in await Wait.ForAsync(Task.WhenAll(burst), "the burst"))
        {
            response.Dispose();
        }

        foreach (var token in new[] { host.Mint(), host.Mint(), Tokens.New() })
        {
            (await host.GetAsync("/api/me", token)).Dispose();
        }

        var tokenInfo = activities.Stopped.Where(a => a.OperationName == TokenInfoActivity).ToArray();
        Assert.Equal(4, tokenInfo.Length);
        Assert.All(tokenInfo, activity =>
        {
            Assert.Equal(ActivityKind.Client, activity.Kind);
            Assert.Equal(TestApi.Scheme, activity.GetTagItem("joinme.scheme"));
        });
        Assert.Equal(3, tokenInfo.Count(a => Equals(a.GetTagItem("joinme.tokeninfo.result"), "answered")));
        Assert.Equal(1, tokenInfo.Count(a => Equals(a.GetTagItem("joinme.tokeninfo.result"), "invalid_token")));
    }

    [Fact]
    public async Task A_failed_call_is_marked_as_an_error()
    {
        using var activities = new Recorder();
        await using var host = new TestApi().UsingEmulator();
        host.Emulator.SetFault(JoinMeEmulatorFaultMode.Error);

        (await host.GetAsync("/api/me", host.Mint())).Dispose();

        var activity = Assert.Single(activities.Stopped, a => a.OperationName == TokenInfoActivity);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal("unavailable", activity.GetTagItem("joinme.tokeninfo.result"));
    }

    [Fact]
    public async Task No_activity_carries_a_token_or_its_hash_over_real_sockets()
    {
        using var activities = new Recorder();
        await using var joinMe = await LoopbackJoinMe.StartAsync();
        await using var host = new TestApi().OverNetwork(joinMe.Authority);
        var tokens = new List<string>();

        foreach (var fault in new[] { JoinMeEmulatorFaultMode.None, JoinMeEmulatorFaultMode.Error, JoinMeEmulatorFaultMode.Garbage })
        {
            joinMe.Emulator.SetFault(fault);
            tokens.Add(joinMe.Emulator.MintToken(TestApi.ClientId, "user_info").AccessToken);
            tokens.Add(Tokens.New());
            host.Time.Advance(TimeSpan.FromSeconds(1)); // past the one-second memory of the previous fault
            (await host.GetAsync("/api/user", tokens[^2])).Dispose();
            (await host.GetAsync("/api/user", tokens[^1])).Dispose();
        }

        var stopped = activities.Stopped.ToArray();
        Assert.Contains(stopped, a => a.OperationName == TokenInfoActivity);
        Assert.Contains(stopped, a => a.Source.Name == "System.Net.Http");
        Tokens.AssertNoneLeaked(tokens, stopped.SelectMany(Describe));
    }

    private static IEnumerable<(string Where, string Text)> Describe(Activity activity)
    {
        var where = $"activity {activity.Source.Name}/{activity.OperationName}";
        yield return (where, activity.DisplayName + " " + activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            yield return ($"{where} tag {key}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        foreach (var item in activity.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")))
        {
            yield return ($"{where} event", item);
        }

        foreach (var (key, value) in activity.Baggage)
        {
            yield return ($"{where} baggage {key}", value ?? string.Empty);
        }
    }

    /// <summary>Listens to the package's source, HttpClient's and ASP.NET Core's, and keeps what stops.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public Recorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is JoinMeAuthenticationDefaults.TelemetryName or "System.Net.Http" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<Activity> Stopped => _stopped;

        public void Dispose() => _listener.Dispose();
    }
}
