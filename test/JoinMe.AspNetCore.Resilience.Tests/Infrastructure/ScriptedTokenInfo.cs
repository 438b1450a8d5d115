using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

/// <summary>
/// A fake tokenInfo server at the edge, used as the named client's primary handler where the emulator cannot say what a test needs
/// (truncated JSON, wrong types, odd statuses, a trickling body): each token gets the <see cref="Reply"/> scripted for it, others the default.
/// </summary>
public sealed class ScriptedTokenInfo(Reply defaultReply) : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Reply> _replies = new(StringComparer.Ordinal);

    public Reply Default { get; set; } = defaultReply;

    /// <summary>Scripts what tokenInfo answers for <paramref name="token"/>.</summary>
    public void Script(string token, Reply reply) => _replies[token] = reply;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = TokenInfoEdge.TokenOf(request);
        var reply = token is not null && _replies.TryGetValue(token, out var scripted) ? scripted : Default;
        return reply.AnswerAsync(request, cancellationToken);
    }
}

/// <summary>One scripted tokenInfo answer.</summary>
public abstract class Reply
{
    public static Reply Json(string body, int status = 200) => new Fixed(status, Encoding.UTF8.GetBytes(body), "application/json; charset=utf-8");

    public static Reply Bytes(byte[] body, int status = 200, string contentType = "application/json") => new Fixed(status, body, contentType);

    public static Reply Status(int status, params (string Name, string Value)[] headers) =>
        new Fixed(status, "{\"Message\":\"no\",\"ErrorCode\":\"invalid_token\"}"u8.ToArray(), "application/json", headers);

    /// <summary>A body sent without Content-Length, so its size shows only while it is read.</summary>
    public static Reply Unbounded(string body) => new Fixed(200, Encoding.UTF8.GetBytes(body), "application/json", [], sendLength: false);

    /// <summary>The connection is refused: the attempt throws as SocketsHttpHandler does.</summary>
    public static Reply Refused { get; } = new Throwing();

    /// <summary>tokenInfo never answers; only the attempt's cancellation ends it.</summary>
    public static Reply Hang(TimeProvider time) => new Hanging(time);

    /// <summary>Headers at once, then the body one byte per <paramref name="perByte"/> of <paramref name="time"/>.</summary>
    public static Reply Trickle(string body, TimeSpan perByte, TimeProvider time) => new Trickling(Encoding.UTF8.GetBytes(body), perByte, time);

    /// <summary>The first call gets the first reply, the second the second, and so on; calls after the last get the last.</summary>
    public static Reply Sequence(params Reply[] replies) => new InTurn(replies);

    /// <summary>A valid answer for the sample's client, live for an hour from <paramref name="time"/>'s now.</summary>
    public static Reply Valid(TimeProvider time) => Json(ValidBody(time.GetUtcNow().AddHours(1)));

    public abstract Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>A tokenInfo body for a live token of <paramref name="clientId"/>.</summary>
    public static string ValidBody(DateTimeOffset expiresAt, string clientId = SampleHost.ClientId, string scope = "user_info scheduler start_meeting") =>
        $$"""{"client_id":"{{clientId}}","scope":"{{scope}}","expires_at":"{{expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""";

    private sealed class Fixed(int status, byte[] body, string contentType, (string Name, string Value)[]? headers = null, bool sendLength = true) : Reply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpContent content = sendLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = content, RequestMessage = request };
            foreach (var (name, value) in headers ?? [])
            {
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return Task.FromResult(response);
        }
    }

    private sealed class InTurn(Reply[] replies) : Reply
    {
        private int _calls;

        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            replies[Math.Min(Interlocked.Increment(ref _calls), replies.Length) - 1].AnswerAsync(request, cancellationToken);
    }

    private sealed class Throwing : Reply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (fake)."));
    }

    private sealed class Hanging(TimeProvider time) : Reply
    {
        public override async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class Trickling(byte[] body, TimeSpan perByte, TimeProvider time) : Reply
    {
        public override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new TricklingStream(body, perByte, time));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    private class UnseekableStream(byte[] body) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, body.Length - _position);
            body.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class TricklingStream(byte[] body, TimeSpan perByte, TimeProvider time) : UnseekableStream(body)
    {
        private readonly byte[] _body = body;
        private int _sent;

        public override int Read(Span<byte> buffer) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent == _body.Length || buffer.IsEmpty)
            {
                return 0;
            }

            await Task.Delay(perByte, time, cancellationToken);
            buffer.Span[0] = _body[_sent++];
            return 1;
        }
    }
}
