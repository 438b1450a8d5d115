namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>
/// Random tokens and random tokenInfo answers, from a fixed seed, thousands of them: never a 500, never an acceptance the contract
/// forbids, and every status, challenge and call count as the contract says.
/// </summary>
public sealed class RandomizedTests(ITestOutputHelper output)
{
    public const int Seed = 20_260_301;
    public const int Iterations = 5_000;

    [Fact]
    public async Task Random_tokens_and_answers_get_exactly_what_the_contract_says()
    {
        // Thousands of failing calls in a row must not open the circuit (it has tests of its own), and thousands of new tokens come from the
        // one test client: its budget of new tokens per minute is off.
        await using var api = new TestApi().KeepCircuitClosed().Configure(options => options.MaxCacheMissesPerCallerPerMinute = 0);
        api.TokenInfo.Answers(TokenInfoReply.Of(401));
        var cases = new RandomCases(Seed, api.Clock);
        var statuses = new SortedDictionary<int, int>();
        var repeats = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (serverErrors, falseAccepts) = (0, 0);
        var mismatches = new List<string>();

        for (var i = 0; i < Iterations; i++)
        {
            var generated = cases.Next();
            api.Time.Advance(generated.Wait);
            if (generated is { Token: { } token, Answer: { } answer })
            {
                api.TokenInfo.Script(token, answer);
            }

            var callsBefore = api.TokenInfo.Calls;
            var callsForTokenBefore = generated.Token is null ? 0 : api.TokenInfo.CallsFor(generated.Token);
            var response = await api.SendRawAsync(generated.Path, generated.Authorization);
            var calls = api.TokenInfo.Calls - callsBefore;

            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            if (generated.Repeat is { } repeat)
            {
                repeats[repeat] = repeats.GetValueOrDefault(repeat) + 1;
            }

            serverErrors += response.Status >= 500 && response.Status != 503 ? 1 : 0;
            falseAccepts += response.Status == 200 && generated.Expected.Status != 200 ? 1 : 0;
            if ((response.Status, response.WwwAuthenticate, calls) != (generated.Expected.Status, generated.Expected.Challenge, generated.Expected.Calls))
            {
                mismatches.Add($"#{i} {generated.Description}: expected {generated.Expected}, got ({response.Status}, {response.WwwAuthenticate}, {calls} calls)");
            }

            if (generated.Token is { } sent)
            {
                // Every call carried the token intact (percent-encoded on the way, decoded by the server).
                Assert.Equal(calls, api.TokenInfo.CallsFor(sent) - callsForTokenBefore);
            }
        }

        output.WriteLine($"seed {Seed}, {Iterations} iterations; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        output.WriteLine($"repeated tokens: {string.Join(", ", repeats.Select(r => $"{r.Key}×{r.Value}"))}");
        output.WriteLine($"500s: {serverErrors}; false accepts: {falseAccepts}; mismatches: {mismatches.Count}");
        foreach (var mismatch in mismatches.Take(30))
        {
            output.WriteLine(mismatch);
        }

        Assert.Equal(0, serverErrors);
        Assert.Equal(0, falseAccepts);
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(15)));
    }
}
