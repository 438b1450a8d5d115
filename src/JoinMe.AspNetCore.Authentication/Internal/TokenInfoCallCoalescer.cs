using System.Collections.Concurrent;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Makes simultaneous validations of one token share one call. The call runs apart from every request that waits for it:
/// none of their cancellations reach it, and its failure reaches them as a result, never as an exception.
/// </summary>
internal sealed class TokenInfoCallCoalescer
{
    private readonly ConcurrentDictionary<JoinMeTokenCacheKey, Task<JoinMeTokenValidationResult>> _calls = new();

    /// <summary>How many shared calls are running now.</summary>
    public int Count => _calls.Count;

    /// <summary>
    /// Joins the call running for <paramref name="key"/>, or starts <paramref name="call"/> when there is none.
    /// <paramref name="call"/> must look in the cache again before it asks join.me, and must store its result before it returns:
    /// the call leaves this table only after that, so a request that missed the cache meanwhile either joins it or finds the stored result.
    /// </summary>
    public Task<JoinMeTokenValidationResult> GetOrStart<TState>(
        JoinMeTokenCacheKey key,
        TState state,
        Func<TState, Task<JoinMeTokenValidationResult>> call,
        Action<Exception, TState> onFailure,
        out bool joined)
    {
        if (_calls.TryGetValue(key, out var running))
        {
            joined = true;
            return running;
        }

        var completion = new TaskCompletionSource<JoinMeTokenValidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = _calls.GetOrAdd(key, completion.Task);
        if (!ReferenceEquals(winner, completion.Task))
        {
            joined = true;
            return winner;
        }

        joined = false;
        _ = RunAsync(key, completion, state, call, onFailure);
        return completion.Task;
    }

    private async Task RunAsync<TState>(
        JoinMeTokenCacheKey key,
        TaskCompletionSource<JoinMeTokenValidationResult> completion,
        TState state,
        Func<TState, Task<JoinMeTokenValidationResult>> call,
        Action<Exception, TState> onFailure)
    {
        var result = JoinMeTokenValidationResult.Failed(JoinMeFailureReason.ServiceUnavailable);
        try
        {
            // Leave the caller's thread at once, so that none of its synchronous context runs the call.
            await Task.Yield();
            result = await call(state).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A shared call's failure must reach every waiter as a result, whatever it was.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            onFailure(exception, state);
        }
        finally
        {
            // Leave the table before any waiter has the result: a request that starts once another has its answer must not join a call
            // that is over, or an unavailable result would be handed on as if it were cached.
            _calls.TryRemove(new KeyValuePair<JoinMeTokenCacheKey, Task<JoinMeTokenValidationResult>>(key, completion.Task));
            completion.TrySetResult(result);
        }
    }
}
