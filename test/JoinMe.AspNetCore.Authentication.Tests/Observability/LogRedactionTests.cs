using JoinMe.AspNetCore.Authentication.Tests.HostileInput;

namespace JoinMe.AspNetCore.Authentication.Tests.Observability;

/// <summary>
/// Runs a broad slice of everything else (every hostile request, every hostile tokenInfo answer, outages, an open circuit, hangs, real
/// sockets) with every log category captured at Trace, and looks for every token used, its percent-encoding and its SHA-256 (hex, base64 and
/// base64url) in every log line, structured value, exception text, authentication failure message and challenge.
/// </summary>
public sealed class LogRedactionTests(ITestOutputHelper output)
{
    // ASP.NET Core's own request log (Microsoft.AspNetCore.Hosting.Diagnostics, Information) writes the request's query string, so a token
    // a client puts in the query shows there, whatever the handler does: RFC 6750 §2.3 warns of it, and the handler reads the query only
    // when AcceptTokenFromQuery is on. Tokens sent in the query are looked for everywhere but in that one category.
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task No_token_or_its_hash_shows_in_any_log_failure_message_or_challenge()
    {
        var tokens = new List<string>();
        var queryTokens = new List<string>();
        var texts = new List<(string Where, string Text)>();
        TestApi Traced() => new TestApi().CaptureLogsAt(LogLevel.Trace).KeepCircuitClosed().Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0);

        await using (var plain = Traced())
        await using (var query = Traced().Configure(options => options.AcceptTokenFromQuery = true))
        {
            foreach (var hostile in RequestCase.All)
            {
                var run = await hostile.RunAsync(hostile.QueryTokens ? query : plain);
                tokens.AddRange(run.Tokens.Except(run.QueryTokens));
                queryTokens.AddRange(run.QueryTokens);
            }

            texts.AddRange(plain.Texts.Concat(query.Texts));
        }

        foreach (var hostile in TokenInfoCase.All)
        {
            await using var api = Traced().UsingEmulator();
            tokens.Add((await hostile.RunAsync(api)).Token);
            texts.AddRange(api.Texts);
        }

        await using (var outage = new TestApi().CaptureLogsAt(LogLevel.Trace).UsingEmulator())
        {
            var cached = outage.Mint();
            tokens.Add(cached);
            await outage.AssertStatusAsync(cached, 200);
            for (var i = 0; i < 8; i++)
            {
                var token = outage.Mint();
                tokens.Add(token);
                outage.Emulator.SetFault(i < 4 ? JoinMeEmulatorFaultMode.Down : JoinMeEmulatorFaultMode.Error);
                (await outage.GetAsync("/api/me", token)).Dispose();
                await outage.AssertStatusAsync(cached, 200);
            }

            // The circuit is half-open after the outage: the one trial attempt hangs, times out, and opens it again.
            outage.Emulator.SetFault(JoinMeEmulatorFaultMode.Slow, TimeSpan.FromHours(1));
            outage.Time.Advance(TimeSpan.FromMinutes(1));
            var hanging = outage.Mint();
            tokens.Add(hanging);
            var request = outage.GetAsync("/api/me", hanging);
            await Wait.UntilAsync(() => outage.TokenInfo.CallsFor(hanging) == 1, "the trial attempt");
            outage.Time.Advance(TimeSpan.FromSeconds(2));
            (await Wait.ForAsync(request, "the hanging request")).Dispose();
            tokens.Add(outage.Mint());
            (await outage.GetAsync("/api/me", tokens[^1])).Dispose();
            texts.AddRange(outage.Texts);
        }

        await using (var joinMe = await LoopbackJoinMe.StartAsync())
        await using (var sockets = Traced().OverNetwork(joinMe.Authority))
        {
            foreach (var fault in new[] { JoinMeEmulatorFaultMode.None, JoinMeEmulatorFaultMode.Down, JoinMeEmulatorFaultMode.Error, JoinMeEmulatorFaultMode.Garbage })
            {
                joinMe.Emulator.SetFault(fault);
                var live = joinMe.Emulator.MintToken(TestApi.ClientId, "user_info").AccessToken;
                var unknown = Tokens.New();
                tokens.AddRange([live, unknown]);
                (await sockets.GetAsync("/api/user", live)).Dispose();
                (await sockets.GetAsync("/api/user", unknown)).Dispose();
            }

            var redirected = joinMe.Emulator.MintToken(TestApi.ClientId, "user_info").AccessToken;
            joinMe.Redirected.Add(redirected);
            tokens.Add(redirected);
            (await sockets.GetAsync("/api/me", redirected)).Dispose();
            texts.AddRange(sockets.Texts);
        }

        var sources = texts.Select(text => text.Where).Distinct().ToArray();
        output.WriteLine($"{tokens.Count + queryTokens.Count} tokens; {texts.Count} texts from {sources.Length} sources, for example:");
        foreach (var source in sources.Where(c => c.Contains("JoinMe", StringComparison.Ordinal) || c.Contains("Http", StringComparison.Ordinal)).Take(25))
        {
            output.WriteLine("  " + source);
        }

        // The capture is real: Trace lines from ASP.NET Core, the handler's own lines, Polly's, and failure messages are all there.
        Assert.Contains(texts, text => text.Where.StartsWith("log Trace Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Where.Contains("JoinMe.AspNetCore.Authentication", StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Where.Contains("Polly", StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Where == "failure message or challenge");

        Tokens.AssertNoneLeaked(tokens, texts);
        Tokens.AssertNoneLeaked(queryTokens, texts.Where(text => !text.Where.Contains(HostingDiagnostics, StringComparison.Ordinal)));
    }
}
