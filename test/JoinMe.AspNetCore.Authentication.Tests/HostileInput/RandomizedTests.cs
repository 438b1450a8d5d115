using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

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
        await using var host = new SampleHost(TokenInfoSource.Scripted, HostileTokenInfoHosts.KeepCircuitClosed, logLevel: LogLevel.Warning);
        var cases = new RandomCases(Seed, host.Time.GetUtcNow());
        var statuses = new SortedDictionary<int, int>();
        var (serverErrors, falseAccepts) = (0, 0);
        var mismatches = new List<string>();

        for (var i = 0; i < Iterations; i++)
        {
            var generated = cases.Next();
            if (generated is { Token: { } token, Answer: { } answer } && generated.Expected.Calls > 0)
            {
                host.Scripted.Script(token, answer);
            }

            var callsBefore = host.Edge.Calls;
            var response = await host.SendRawAsync(generated.Path, generated.Authorization);
            var calls = host.Edge.Calls - callsBefore;

            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            serverErrors += response.Status >= 500 && response.Status != 503 ? 1 : 0;
            falseAccepts += response.Status == 200 && generated.Expected.Status != 200 ? 1 : 0;
            if ((response.Status, response.WwwAuthenticate, calls) != (generated.Expected.Status, generated.Expected.Challenge, generated.Expected.Calls))
            {
                mismatches.Add($"#{i} {generated.Description}: expected {generated.Expected}, got ({response.Status}, {response.WwwAuthenticate}, {calls} calls)");
            }

            if (generated.Token is { } sent && calls > 0)
            {
                // The token reached tokenInfo intact (percent-encoded on the way, decoded by the server).
                Assert.Equal(sent, TokenInfoEdge.TokenOf(new HttpRequestMessage(HttpMethod.Get, host.Edge.RequestUris.Last())));
            }
        }

        output.WriteLine($"seed {Seed}, {Iterations} iterations; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
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
