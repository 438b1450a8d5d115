using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// One answer of the emulator's tokenInfo endpoint, made once and written either to an
/// <see cref="HttpResponse"/> (the HTTP endpoint) or to an <see cref="HttpResponseMessage"/> (the
/// in-memory backchannel), so that both answer byte for byte the same.
/// </summary>
internal sealed class TokenInfoAnswer
{
    /// <summary>The gateway's header naming its error.</summary>
    public const string MasheryErrorCodeHeader = "X-Mashery-Error-Code";

    /// <summary>The gateway's challenge for a token it does not accept.</summary>
    public const string GatewayChallenge = "Bearer realm=\"api.join.me\", error=\"invalid_token\"";

    private const string JsonContentType = "application/json; charset=utf-8";
    private const string HtmlContentType = "text/html; charset=utf-8";

    private TokenInfoAnswer(int statusCode, string? contentType, byte[] body, params KeyValuePair<string, string>[] headers)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = [new("Cache-Control", "no-store"), .. headers];
    }

    /// <summary>The <c>down</c> fault: no answer at all.</summary>
    public static TokenInfoAnswer ConnectionDropped { get; } = new(0, null, []) { DropsConnection = true };

    /// <summary>The <c>error</c> fault: 500 with an ASP.NET-style error body.</summary>
    public static TokenInfoAnswer ServerError { get; } =
        new(StatusCodes.Status500InternalServerError, JsonContentType, Json(w => w.WriteString("Message", "An error has occurred.")));

    /// <summary>The <c>garbage</c> fault: 200, labelled as JSON, with an HTML body.</summary>
    public static TokenInfoAnswer Garbage { get; } =
        new(StatusCodes.Status200OK, JsonContentType, Encoding.UTF8.GetBytes("<html><body><h1>join.me is down for maintenance</h1></body></html>"));

    /// <summary>The <c>ratelimited</c> fault: 403 from the gateway, over its queries-per-second quota.</summary>
    public static TokenInfoAnswer RateLimited { get; } =
        new(StatusCodes.Status403Forbidden, HtmlContentType, Encoding.UTF8.GetBytes("<h1>Developer Over Qps</h1>"),
            new(MasheryErrorCodeHeader, "ERR_403_DEVELOPER_OVER_QPS"),
            new("Retry-After", "1"));

    /// <summary>The HTTP status code; 0 when the connection is dropped.</summary>
    public int StatusCode { get; }

    /// <summary>The body's media type, with its charset.</summary>
    public string? ContentType { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Response headers other than Content-Type and Content-Length.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Whether the service answers nothing and drops the connection (the <c>down</c> fault).</summary>
    public bool DropsConnection { get; private init; }

    /// <summary>
    /// Answers a tokenInfo request carrying <paramref name="accessToken"/> with no fault in the way.
    /// </summary>
    public static TokenInfoAnswer For(JoinMeEmulator emulator, StringValues accessToken)
    {
        if (accessToken.Count != 1 || string.IsNullOrEmpty(accessToken[0]))
        {
            return new(StatusCodes.Status400BadRequest, JsonContentType, Json(w =>
            {
                w.WriteString("Message", "The request must carry exactly one non-empty access_token query parameter.");
                w.WriteString("ErrorCode", "invalid_request");
            }));
        }

        var options = emulator.Options;
        return emulator.Inspect(accessToken[0]!, out var token) switch
        {
            TokenState.Live => Live(token!, options.ExpiresAtFormat),
            TokenState.Expired => Invalid(options.InvalidTokenResponse, "The access token has expired.", "stale_token"),
            TokenState.Revoked => Invalid(options.InvalidTokenResponse, "The access token has been revoked.", "stale_token"),
            _ => Invalid(options.InvalidTokenResponse, "The access token is not valid.", "invalid_token"),
        };
    }

    /// <summary>Formats an expiry as tokenInfo writes it in <see cref="JoinMeExpiresAtFormat.Iso8601Utc"/>: to the second, with a Z.</summary>
    public static string FormatIso8601(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes the answer to an HTTP response.</summary>
    public async Task WriteToAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the answer as an <see cref="HttpResponseMessage"/> to <paramref name="request"/>.</summary>
    public HttpResponseMessage ToResponseMessage(HttpRequestMessage request)
    {
        var content = new ByteArrayContent(Body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType!);
        content.Headers.ContentLength = Body.Length;

        var message = new HttpResponseMessage((HttpStatusCode)StatusCode) { RequestMessage = request, Content = content };
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private static TokenInfoAnswer Live(JoinMeEmulatorToken token, JoinMeExpiresAtFormat format) =>
        new(StatusCodes.Status200OK, JsonContentType, Json(w =>
        {
            w.WriteString("client_id", token.ClientId);
            w.WriteString("scope", token.Scope);
            switch (format)
            {
                case JoinMeExpiresAtFormat.UnixSeconds:
                    w.WriteNumber("expires_at", token.ExpiresAt.ToUnixTimeSeconds());
                    break;
                case JoinMeExpiresAtFormat.UnixMilliseconds:
                    w.WriteNumber("expires_at", token.ExpiresAt.ToUnixTimeMilliseconds());
                    break;
                default:
                    w.WriteString("expires_at", FormatIso8601(token.ExpiresAt));
                    break;
            }
        }));

    private static TokenInfoAnswer Invalid(JoinMeInvalidTokenResponse style, string message, string errorCode) =>
        style == JoinMeInvalidTokenResponse.GatewayForbidden
            ? new(StatusCodes.Status403Forbidden, HtmlContentType, Encoding.UTF8.GetBytes("<h1>Not Authorized</h1>"),
                new("WWW-Authenticate", GatewayChallenge),
                new(MasheryErrorCodeHeader, "ERR_403_NOT_AUTHORIZED"))
            : new(StatusCodes.Status401Unauthorized, JsonContentType, Json(w =>
            {
                w.WriteString("Message", message);
                w.WriteString("ErrorCode", errorCode);
            }));

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
