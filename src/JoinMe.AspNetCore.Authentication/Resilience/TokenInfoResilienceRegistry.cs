using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Keeps one <see cref="TokenInfoResilience"/> per scheme, made anew when the scheme's options are reloaded.</summary>
internal sealed class TokenInfoResilienceRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, (JoinMeOptions Options, TokenInfoResilience Resilience)> _bySchemes = new(StringComparer.Ordinal);

    public TokenInfoResilience For(string scheme, JoinMeOptions options)
    {
        if (_bySchemes.TryGetValue(scheme, out var entry) && ReferenceEquals(entry.Options, options))
        {
            return entry.Resilience;
        }

        lock (_bySchemes)
        {
            if (_bySchemes.TryGetValue(scheme, out entry) && ReferenceEquals(entry.Options, options))
            {
                return entry.Resilience;
            }

            var created = new TokenInfoResilience(options);
            _bySchemes[scheme] = (options, created);
            return created;
        }
    }

    /// <summary>The circuit state of every scheme that has called tokenInfo.</summary>
    public IEnumerable<(string Scheme, CircuitState State)> CircuitStates =>
        _bySchemes.Select(pair => (pair.Key, pair.Value.Resilience.CircuitState));

    /// <summary>The circuit state of one scheme; closed when it has not called tokenInfo yet.</summary>
    public CircuitState CircuitStateOf(string scheme) =>
        _bySchemes.TryGetValue(scheme, out var entry) ? entry.Resilience.CircuitState : CircuitState.Closed;

    public void Dispose()
    {
        foreach (var entry in _bySchemes.Values)
        {
            entry.Resilience.Dispose();
        }
    }
}
