using System.Net.Http.Headers;
using System.Text.Json;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>One scripted answer of tokenInfo at the edge: a status, headers and a body, or a failure to connect, a hang, a trickle.</summary>
public abstract class TokenInfoReply
{
    /// <summary>The API key the sample accepts (its appsettings.json).</summary>
    public const string AllowedClientId = "demo-client";

    /// <summary>Every scope join.me grants except provisioning.</summary>
    public const string AllScopes = "user_info scheduler start_meeting";

    /// <summary>A status with a body (JSON by default) and headers.</summary>
    public static TokenInfoReply Of(int status, string? body = null, params (string Name, string Value)[] headers) =>
        new Fixed(status, body is null ? null : Encoding.UTF8.GetBytes(body), "application/json; charset=utf-8", headers, SendLength: true);

    /// <summary>A 200 with the given (JSON or any) body.</summary>
    public static TokenInfoReply Json(string body) => Of(200, body);

    /// <summary>A 200 with raw bytes as the body.</summary>
    public static TokenInfoReply Bytes(byte[] body, string contentType = "application/json") => new Fixed(200, body, contentType, [], SendLength: true);

    /// <summary>A 200 whose body is sent without a Content-Length, so that its size shows only while it is read.</summary>
    public static TokenInfoReply Unbounded(string body) => new Fixed(200, Encoding.UTF8.GetBytes(body), "application/json", [], SendLength: false);

    /// <summary>A 200 that vouches for a token of <paramref name="clientId"/> with <paramref name="scope"/>, expiring at <paramref name="expiresAt"/>.</summary>
    public static TokenInfoReply Valid(DateTimeOffset expiresAt, string scope = AllScopes, string clientId = AllowedClientId) => Json(ValidBody(expiresAt, scope, clientId));

    /// <summary>join.me's answer for a stale token (401, or 403 from its gateway).</summary>
    public static TokenInfoReply StaleToken(int status = 401) =>
        Of(status, """{"Message":"The access token is stale.","ErrorCode":"stale_token"}""", ("WWW-Authenticate", "Bearer realm=\"api.join.me\", error=\"invalid_token\""));

    /// <summary>The connection is refused: the attempt throws as SocketsHttpHandler does.</summary>
    public static TokenInfoReply Refused { get; } = Throwing(() => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (fake)."));

    /// <summary>The attempt throws what <paramref name="exception"/> makes.</summary>
    public static TokenInfoReply Throwing(Func<Exception> exception) => new Thrown(exception);

    /// <summary>tokenInfo never answers; only the attempt's cancellation ends it.</summary>
    public static TokenInfoReply Hang { get; } = new Delayed(Timeout.InfiniteTimeSpan, null);

    /// <summary>Answers <paramref name="reply"/> after <paramref name="delay"/> of the test's (fake) time, honouring cancellation.</summary>
    public static TokenInfoReply After(TimeSpan delay, TokenInfoReply reply) => new Delayed(delay, reply);

    /// <summary>Headers at once, then the body one byte per <paramref name="perByte"/> of the test's time.</summary>
    public static TokenInfoReply Trickle(string body, TimeSpan perByte) => new Trickling(Encoding.UTF8.GetBytes(body), perByte);

    /// <summary>The first call gets the first reply, the second the second, and so on; calls after the last get the last.</summary>
    public static TokenInfoReply InTurn(params TokenInfoReply[] replies) => new Sequence(replies);

    /// <summary>A tokenInfo body for a live token.</summary>
    public static string ValidBody(DateTimeOffset expiresAt, string scope = AllScopes, string clientId = AllowedClientId) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["client_id"] = clientId, ["scope"] = scope, ["expires_at"] = Iso(expiresAt) });

    /// <summary>An ISO 8601 UTC time with Z, to the second.</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public abstract Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken);

    private sealed class Fixed(int Status, byte[]? Body, string ContentType, (string Name, string Value)[] Headers, bool SendLength) : TokenInfoReply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage((HttpStatusCode)Status) { RequestMessage = request };
            if (Body is not null)
            {
                response.Content = SendLength ? new ByteArrayContent(Body) : new StreamContent(new OneWayStream(Body, TimeSpan.Zero, time));
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }

            foreach (var (name, value) in Headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    response.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return Task.FromResult(response);
        }
    }

    private sealed class Sequence(TokenInfoReply[] replies) : TokenInfoReply
    {
        private int _calls;

        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken) =>
            replies[Math.Min(Interlocked.Increment(ref _calls), replies.Length) - 1].AnswerAsync(request, time, cancellationToken);
    }

    private sealed class Thrown(Func<Exception> exception) : TokenInfoReply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(exception());
    }

    private sealed class Delayed(TimeSpan delay, TokenInfoReply? reply) : TokenInfoReply
    {
        public override async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, time, cancellationToken);
            return await (reply ?? throw new InvalidOperationException("A hanging tokenInfo never answers.")).AnswerAsync(request, time, cancellationToken);
        }
    }

    private sealed class Trickling(byte[] body, TimeSpan perByte) : TokenInfoReply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, TimeProvider time, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new OneWayStream(body, perByte, time));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    /// <summary>A body that cannot tell its length: read at once, or one byte per <c>perByte</c> of the test's time.</summary>
    private sealed class OneWayStream(byte[] body, TimeSpan perByte, TimeProvider time) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (perByte > TimeSpan.Zero && _position < body.Length && !buffer.IsEmpty)
            {
                await Task.Delay(perByte, time, cancellationToken);
                buffer = buffer[..1];
            }

            var count = Math.Min(buffer.Length, body.Length - _position);
            body.AsSpan(_position, count).CopyTo(buffer.Span);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
