using System.Collections.Concurrent;
using Microsoft.AspNetCore.WebUtilities;

namespace JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

/// <summary>
/// The edge of the tokenInfo client: a <see cref="DelegatingHandler"/> added to the named client, in front of the primary handler
/// (the emulator's backchannel, a <see cref="ScriptedTokenInfo"/>, or real sockets). It sees every attempt the handler makes, counts
/// them per token, tracks how many are in flight at once, and can hold them at a gate or answer some of them itself.
/// </summary>
public sealed class TokenInfoEdge
{
    private readonly ConcurrentDictionary<string, int> _callsPerToken = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Uri> _requestUris = new();
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;
    private int _completed;
    private volatile TaskCompletionSource? _gate;

    /// <summary>Whether every request's URI and token is kept (for the counts per token); off for floods, whose memory is measured.</summary>
    public bool KeepHistory { get; set; } = true;

    /// <summary>Attempts that reached the edge.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Attempts now in flight (between reaching the edge and getting an answer or failing).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most attempts ever in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Attempts that ended, however they ended.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Every tokenInfo request URI, in arrival order.</summary>
    public IReadOnlyCollection<Uri> RequestUris => _requestUris;

    /// <summary>
    /// Answers an attempt before the primary handler sees it, or returns <see langword="null"/> to let it through. Its argument is the
    /// attempt's number, from 1.
    /// </summary>
    public Func<int, HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>Attempts made with <paramref name="token"/> in the <c>access_token</c> query parameter.</summary>
    public int CallsFor(string token) => _callsPerToken.TryGetValue(token, out var calls) ? calls : 0;

    /// <summary>From now on every attempt waits at a gate (honouring its cancellation) until <see cref="OpenGate"/>.</summary>
    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets every waiting attempt, and every later one, through.</summary>
    public void OpenGate() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public DelegatingHandler CreateHandler() => new Handler(this);

    /// <summary>The decoded <c>access_token</c> of a tokenInfo request, as the server would read it.</summary>
    public static string? TokenOf(HttpRequestMessage request) =>
        request.RequestUri is { } uri && QueryHelpers.ParseQuery(uri.Query).TryGetValue("access_token", out var values) && values.Count == 1
            ? values[0]
            : null;

    private sealed class Handler(TokenInfoEdge edge) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref edge._calls);
            if (edge.KeepHistory)
            {
                edge._requestUris.Enqueue(request.RequestUri!);
                edge._callsPerToken.AddOrUpdate(TokenOf(request) ?? string.Empty, 1, static (_, calls) => calls + 1);
            }

            var inFlight = Interlocked.Increment(ref edge._inFlight);
            int max;
            while (inFlight > (max = Volatile.Read(ref edge._maxInFlight)) && Interlocked.CompareExchange(ref edge._maxInFlight, inFlight, max) != max)
            {
            }

            try
            {
                if (edge._gate is { } gate)
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }

                if (edge.Intercept?.Invoke(number, request) is { } answer)
                {
                    answer.RequestMessage = request;
                    return answer;
                }

                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref edge._inFlight);
                Interlocked.Increment(ref edge._completed);
            }
        }
    }
}
