using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// join.me's tokenInfo endpoint, in memory and as cheap as it can be: every token is valid for <see cref="BenchApp.ClientId"/>
/// with <see cref="BenchApp.Scopes"/>, expiring in a day. Counts its calls.
/// </summary>
internal sealed class TokenInfoStandIn : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        $$"""{"client_id":"{{BenchApp.ClientId}}","scope":"{{BenchApp.Scopes}}","expires_at":"{{DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"}""");

    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = content });
    }

    // The client factory may dispose its handler chain; the stand-in outlives it.
    protected override void Dispose(bool disposing)
    {
    }
}
