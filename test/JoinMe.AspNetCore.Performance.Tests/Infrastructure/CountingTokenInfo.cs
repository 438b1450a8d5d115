using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace JoinMe.AspNetCore.Performance.Tests.Infrastructure;

/// <summary>
/// The edge: join.me's tokenInfo endpoint as the primary handler of the JoinMe client. Every token is valid for
/// <see cref="ClientId"/> with <see cref="Scope"/> for an hour; calls are counted per token, and can be held at a gate.
/// </summary>
public sealed class CountingTokenInfo : HttpMessageHandler
{
    /// <summary>The API key the sample accepts (its appsettings.json).</summary>
    public const string ClientId = "demo-client";

    public const string Scope = "user_info scheduler";

    private readonly ConcurrentDictionary<string, int> _callsByToken = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>All calls so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Awaited by each call after it is counted and before it answers; <see langword="null"/> to answer at once.</summary>
    public Func<CancellationToken, Task>? Gate { get; set; }

    /// <summary>How many calls asked about <paramref name="token"/>.</summary>
    public int CallsFor(string token) => _callsByToken.GetValueOrDefault(token);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = QueryHelpers.ParseQuery(request.RequestUri!.Query).TryGetValue("access_token", out var values) ? values.ToString() : string.Empty;
        _callsByToken.AddOrUpdate(token, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate(cancellationToken);
        }

        var expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var body = $$"""{"client_id":"{{ClientId}}","scope":"{{Scope}}","expires_at":"{{expiresAt}}"}""";
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }

    // The client factory may dispose its handler chain; the fake outlives it.
    protected override void Dispose(bool disposing)
    {
    }
}
