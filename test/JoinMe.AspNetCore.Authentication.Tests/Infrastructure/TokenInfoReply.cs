using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>One scripted answer of the fake tokenInfo endpoint: a status, headers and a body.</summary>
public sealed record TokenInfoReply
{
    /// <summary>The API key the sample accepts (appsettings.json).</summary>
    public const string AllowedClientId = "demo-client";

    /// <summary>Every scope join.me grants except provisioning.</summary>
    public const string AllScopes = "user_info scheduler start_meeting";

    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    public string? Body { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Sends the body without a Content-Length, as a chunked response would.</summary>
    public bool WithoutContentLength { get; init; }

    /// <summary>A 200 with the given JSON (or any) body.</summary>
    public static TokenInfoReply Json(string body) => new() { Body = body };

    /// <summary>A 200 that vouches for a token of <paramref name="clientId"/> with <paramref name="scope"/>, expiring at <paramref name="expiresAt"/> (ISO 8601 with Z).</summary>
    public static TokenInfoReply Valid(DateTimeOffset expiresAt, string scope = AllScopes, string clientId = AllowedClientId) =>
        Json(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["scope"] = scope,
            ["expires_at"] = Iso(expiresAt),
        }));

    /// <summary>A status code with an optional body and headers.</summary>
    public static TokenInfoReply Of(int status, string? body = null, params (string Name, string Value)[] headers) => new()
    {
        Status = (HttpStatusCode)status,
        Body = body,
        Headers = headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToArray(),
    };

    /// <summary>join.me's answer for a stale token.</summary>
    public static TokenInfoReply StaleToken(int status = 401) =>
        Of(status, """{"Message":"The access token is stale.","ErrorCode":"stale_token"}""",
            ("WWW-Authenticate", "Bearer realm=\"api.join.me\", error=\"invalid_token\""));

    /// <summary>An ISO 8601 UTC time with Z, to the second.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var response = new HttpResponseMessage(Status) { RequestMessage = request };
        if (Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(Body);
            response.Content = WithoutContentLength ? new UnknownLengthContent(bytes) : new ByteArrayContent(bytes);
            response.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }

        foreach (var (name, value) in Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
