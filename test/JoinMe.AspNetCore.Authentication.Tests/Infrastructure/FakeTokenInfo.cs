using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>One request that reached the fake tokenInfo endpoint.</summary>
/// <param name="Uri">The request's URI, as sent.</param>
/// <param name="Token">The <c>access_token</c> query value, decoded.</param>
/// <param name="CancellationToken">The cancellation token the handler passed to the call.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Headers">The request's headers, as sent.</param>
public sealed record TokenInfoCall(Uri Uri, string? Token, CancellationToken CancellationToken, HttpMethod Method, string Headers);

/// <summary>
/// The edge of every test: stands in for join.me's tokenInfo endpoint as the primary handler of the named client.
/// Scriptable per test (answer, hang, throw, hold until released), it counts the calls and records their URIs.
/// </summary>
public sealed class FakeTokenInfo : HttpMessageHandler
{
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<TokenInfoCall> _calls = new();
    private readonly Counter _started = new();
    private Func<TokenInfoCall, HttpRequestMessage, Task<HttpResponseMessage>> _respond;
    private TaskCompletionSource _gate = CompletedGate();

    public FakeTokenInfo(TimeProvider time)
    {
        _time = time;
        _respond = Reply(now => TokenInfoReply.Valid(now.AddHours(1)));
    }

    /// <summary>How many calls reached the endpoint.</summary>
    public int Calls => _started.Value;

    /// <summary>Every call so far, in order of arrival.</summary>
    public IReadOnlyList<TokenInfoCall> Requests => [.. _calls];

    /// <summary>Answers every call with <paramref name="reply"/>.</summary>
    public void Answers(TokenInfoReply reply) => _respond = Reply(_ => reply);

    /// <summary>Answers every call with a reply made at the time of the call.</summary>
    public void Answers(Func<DateTimeOffset, TokenInfoReply> reply) => _respond = Reply(reply);

    /// <summary>Answers every call as the token's own script says: <paramref name="reply"/> gets the token.</summary>
    public void Answers(Func<string?, DateTimeOffset, TokenInfoReply> reply) =>
        _respond = (call, request) => Task.FromResult(reply(call.Token, _time.GetUtcNow()).ToResponse(request));

    /// <summary>Answers the calls one after the other with <paramref name="replies"/>; the last one repeats.</summary>
    public void AnswersInTurn(params TokenInfoReply[] replies)
    {
        var next = -1;
        _respond = (call, request) => Task.FromResult(replies[Math.Min(Interlocked.Increment(ref next), replies.Length - 1)].ToResponse(request));
    }

    /// <summary>A valid answer for an hour from the time of the call, with <paramref name="scope"/>.</summary>
    public void AnswersValid(string scope = TokenInfoReply.AllScopes) => Answers(now => TokenInfoReply.Valid(now.AddHours(1), scope));

    /// <summary>Never answers; the call ends only when its cancellation token is cancelled.</summary>
    public void Hangs() => _respond = async (call, _) =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
        throw new UnreachableException();
    };

    /// <summary>Answers after <paramref name="delay"/> of the test's fake time, honouring cancellation.</summary>
    public void AnswersAfter(TimeSpan delay, TokenInfoReply reply) => _respond = async (call, request) =>
    {
        await Task.Delay(delay, _time, call.CancellationToken);
        return reply.ToResponse(request);
    };

    /// <summary>Every call throws <paramref name="exception"/>, as a failed connection does.</summary>
    public void Throws(Func<Exception> exception) => _respond = (_, _) => Task.FromException<HttpResponseMessage>(exception());

    /// <summary>Holds every call that arrives from now on until <see cref="ReleaseCalls"/>.</summary>
    public void HoldCalls() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held calls answer.</summary>
    public void ReleaseCalls() => _gate.TrySetResult();

    /// <summary>Completes when <paramref name="count"/> calls have arrived (held or not).</summary>
    public Task WhenCallsArrived(int count = 1) => _started.WhenAtLeast(count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var token = QueryHelpers.ParseQuery(uri.Query).TryGetValue("access_token", out var values) ? values.ToString() : null;
        var call = new TokenInfoCall(uri, token, cancellationToken, request.Method, request.Headers.ToString());
        var gate = _gate;
        _calls.Enqueue(call);
        if (gate.Task.IsCompleted)
        {
            // Start answering before the call counts as arrived, so that a test that then advances the fake time
            // finds the answer's own timers (AnswersAfter) already set.
            var answer = _respond(call, request);
            _started.Increment();
            return await answer;
        }

        _started.Increment();
        await gate.Task.WaitAsync(cancellationToken);
        return await _respond(call, request);
    }

    // The factory may dispose its handler chain; the fake outlives it.
    protected override void Dispose(bool disposing)
    {
    }

    private Func<TokenInfoCall, HttpRequestMessage, Task<HttpResponseMessage>> Reply(Func<DateTimeOffset, TokenInfoReply> reply) =>
        (_, request) => Task.FromResult(reply(_time.GetUtcNow()).ToResponse(request));

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
