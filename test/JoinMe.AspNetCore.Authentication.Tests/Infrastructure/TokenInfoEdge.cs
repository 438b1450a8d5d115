using Microsoft.AspNetCore.WebUtilities;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>One request that reached tokenInfo at the edge.</summary>
/// <param name="Uri">The request's URI, as sent.</param>
/// <param name="Token">The <c>access_token</c> query value, decoded.</param>
/// <param name="CancellationToken">The cancellation token the handler passed to the attempt.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Headers">The request's headers, as sent.</param>
/// <param name="ArrivedAt">When it arrived, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (real time, for rate checks).</param>
public sealed record TokenInfoCall(Uri Uri, string? Token, CancellationToken CancellationToken, HttpMethod Method, string Headers, long ArrivedAt);

/// <summary>
/// The edge of every test: a <see cref="DelegatingHandler"/> in the tokenInfo client, behind its resilience handler and in front of the primary
/// handler (the emulator's backchannel, or real sockets). It sees every attempt, counts them per token and in flight, can hold them at a gate,
/// and answers them as scripted (per token, or for all), or lets them through to the primary handler when nothing is scripted.
/// </summary>
public sealed class TokenInfoEdge(TimeProvider time)
{
    private readonly TimeProvider _time = time;

    private readonly ConcurrentQueue<TokenInfoCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _callsPerToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenInfoReply> _perToken = new(StringComparer.Ordinal);
    private readonly Counter _arrived = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _completed;
    private volatile TaskCompletionSource? _gate;
    private Func<TokenInfoCall, DateTimeOffset, TokenInfoReply>? _reply = (_, now) => TokenInfoReply.Valid(now.AddHours(1));

    /// <summary>Whether every request is kept (for <see cref="Requests"/> and the counts per token); off for floods, whose memory is measured.</summary>
    public bool KeepHistory { get; set; } = true;

    /// <summary>Attempts that reached tokenInfo.</summary>
    public int Calls => _arrived.Value;

    /// <summary>Attempts now in flight, the most ever in flight at once, and those that ended however they ended.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Every attempt so far, in order of arrival.</summary>
    public IReadOnlyList<TokenInfoCall> Requests => [.. _calls];

    /// <summary>Attempts made about <paramref name="token"/>.</summary>
    public int CallsFor(string token) => _callsPerToken.GetValueOrDefault(token);

    /// <summary>Answers every attempt with <paramref name="reply"/>.</summary>
    public void Answers(TokenInfoReply reply) => _reply = (_, _) => reply;

    /// <summary>Answers every attempt with a reply made at the time of the attempt.</summary>
    public void Answers(Func<DateTimeOffset, TokenInfoReply> reply) => _reply = (_, now) => reply(now);

    /// <summary>Answers every attempt as the token's own script says: <paramref name="reply"/> gets the token.</summary>
    public void Answers(Func<string?, DateTimeOffset, TokenInfoReply> reply) => _reply = (call, now) => reply(call.Token, now);

    /// <summary>Answers the attempts one after the other with <paramref name="replies"/>; the last one repeats.</summary>
    public void AnswersInTurn(params TokenInfoReply[] replies) => Answers(TokenInfoReply.InTurn(replies));

    /// <summary>A valid answer for an hour from the time of the attempt, with <paramref name="scope"/>.</summary>
    public void AnswersValid(string scope = TokenInfoReply.AllScopes) => Answers(now => TokenInfoReply.Valid(now.AddHours(1), scope));

    /// <summary>Never answers; an attempt ends only when it is cancelled.</summary>
    public void Hangs() => Answers(TokenInfoReply.Hang);

    /// <summary>Answers after <paramref name="delay"/> of the test's fake time.</summary>
    public void AnswersAfter(TimeSpan delay, TokenInfoReply reply) => Answers(TokenInfoReply.After(delay, reply));

    /// <summary>Every attempt fails to connect.</summary>
    public void Refuses() => Answers(TokenInfoReply.Refused);

    /// <summary>Answers attempts about <paramref name="token"/> with <paramref name="reply"/>, whatever else is scripted.</summary>
    public void Script(string token, TokenInfoReply reply) => _perToken[token] = reply;

    /// <summary>Lets every attempt without a script of its own through to the primary handler (the emulator, or the network).</summary>
    public void PassesThrough() => _reply = null;

    /// <summary>Holds every attempt that arrives from now on (honouring its cancellation) until <see cref="ReleaseCalls"/>.</summary>
    public void HoldCalls() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held attempts, and every later one, through.</summary>
    public void ReleaseCalls() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    /// <summary>Completes when <paramref name="count"/> attempts have arrived (held or not).</summary>
    public Task WhenCallsArrived(int count = 1) => _arrived.WhenAtLeast(count);

    public DelegatingHandler CreateHandler() => new Handler(this);

    /// <summary>The decoded <c>access_token</c> of a tokenInfo request, as the server would read it.</summary>
    public static string? TokenOf(Uri? uri) =>
        uri is not null && QueryHelpers.ParseQuery(uri.Query).TryGetValue("access_token", out var values) && values.Count == 1 ? values[0] : null;

    private sealed class Handler(TokenInfoEdge edge) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = new TokenInfoCall(
                request.RequestUri!, TokenOf(request.RequestUri), cancellationToken, request.Method, request.Headers.ToString(), System.Diagnostics.Stopwatch.GetTimestamp());
            if (edge.KeepHistory)
            {
                edge._calls.Enqueue(call);
                edge._callsPerToken.AddOrUpdate(call.Token ?? string.Empty, 1, static (_, calls) => calls + 1);
            }

            var inFlight = Interlocked.Increment(ref edge._inFlight);
            int max;
            while (inFlight > (max = Volatile.Read(ref edge._maxInFlight)) && Interlocked.CompareExchange(ref edge._maxInFlight, inFlight, max) != max)
            {
            }

            try
            {
                var gate = edge._gate;
                var reply = call.Token is not null && edge._perToken.TryGetValue(call.Token, out var scripted) ? scripted : edge._reply?.Invoke(call, edge._time.GetUtcNow());

                // Start answering before the attempt counts as arrived, so that a test that then moves the fake time finds the answer's timers set.
                var answer = gate is null ? reply?.AnswerAsync(request, edge._time, cancellationToken) : null;
                edge._arrived.Increment();
                if (gate is not null)
                {
                    await gate.Task.WaitAsync(cancellationToken);
                    answer = reply?.AnswerAsync(request, edge._time, cancellationToken);
                }

                return await (answer ?? base.SendAsync(request, cancellationToken));
            }
            finally
            {
                Interlocked.Decrement(ref edge._inFlight);
                Interlocked.Increment(ref edge._completed);
            }
        }
    }
}
