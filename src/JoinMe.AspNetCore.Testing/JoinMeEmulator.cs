using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace JoinMe.AspNetCore.Testing;

/// <summary>
/// An emulator of join.me's OAuth 2.0 server: its registered clients, the tokens it issued, their
/// revocations, the fault tokenInfo shows, and how often tokenInfo was called. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Use it in-process through its methods (<see cref="RegisterClient"/>, <see cref="MintToken(string, string, TimeSpan?)"/>,
/// <see cref="RevokeToken"/>, <see cref="SetFault"/>, ...), let an app's JoinMe handler reach it without a
/// socket through <see cref="CreateBackchannelHandler"/>, or serve it over HTTP at join.me's paths with
/// <c>services.AddJoinMeEmulator()</c> and <c>app.MapJoinMeEmulator()</c>.
/// </para>
/// <para>
/// Time comes from the <see cref="TimeProvider"/> given to the constructor, so that a test with a
/// <c>FakeTimeProvider</c> can expire tokens, let revocations propagate and end slow answers without waiting.
/// </para>
/// </remarks>
public sealed class JoinMeEmulator
{
    private readonly Lock _lock = new();
    private readonly JoinMeEmulatorOptions _options;
    private readonly HashSet<string> _knownScopes;
    private readonly Dictionary<string, JoinMeEmulatorClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _otherRedirectUris = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private JoinMeEmulatorFault _fault = JoinMeEmulatorFault.None;
    private long _tokenInfoCalls;

    /// <summary>
    /// Creates an emulator.
    /// </summary>
    /// <param name="options">Its settings; <see langword="null"/> for the defaults. They are copied: later changes have no effect.</param>
    /// <param name="timeProvider">Its clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">A setting in <paramref name="options"/> is invalid; the message says which and why.</exception>
    public JoinMeEmulator(JoinMeEmulatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new JoinMeEmulatorOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options.Clone();
        _knownScopes = new HashSet<string>(_options.Scopes, StringComparer.Ordinal);
        TimeProvider = timeProvider ?? TimeProvider.System;
        ConsentTickets = new ConsentTicketStore(TimeProvider);
        RegisterSeedClients();
    }

    /// <summary>The clock the emulator reads: token expiry, revocation delay and slow answers all use it.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The fault tokenInfo currently shows; <see cref="JoinMeEmulatorFault.None"/> unless <see cref="SetFault"/> was called.</summary>
    public JoinMeEmulatorFault Fault => Volatile.Read(ref _fault);

    /// <summary>The emulator's settings (a private copy).</summary>
    internal JoinMeEmulatorOptions Options => _options;

    /// <summary>The consent forms waiting for an answer.</summary>
    internal ConsentTicketStore ConsentTickets { get; }

    /// <summary>
    /// Registers an application, or changes the Callback URL of one already registered.
    /// </summary>
    /// <param name="clientId">The application's API key.</param>
    /// <param name="redirectUri">Its Callback URL: an absolute http or https URL without a fragment.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException">The client id or the Callback URL is invalid; the message says why.</exception>
    public JoinMeEmulatorClient RegisterClient(string clientId, string redirectUri) =>
        RegisterClient(clientId, redirectUri, out _);

    /// <summary>
    /// Returns the registered applications, ordered by client id.
    /// </summary>
    public IReadOnlyList<JoinMeEmulatorClient> GetClients()
    {
        lock (_lock)
        {
            return [.. _clients.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Looks up a registered application.
    /// </summary>
    /// <param name="clientId">The application's API key.</param>
    /// <param name="client">Its registration, when it is registered.</param>
    /// <returns><see langword="true"/> when <paramref name="clientId"/> is registered.</returns>
    public bool TryGetClient(string clientId, [NotNullWhen(true)] out JoinMeEmulatorClient? client)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_lock)
        {
            return _clients.TryGetValue(clientId, out client);
        }
    }

    /// <summary>
    /// Registers one more Callback URL for a registered application, beside <see cref="JoinMeEmulatorClient.RedirectUri"/>: the
    /// authorize endpoint accepts either (the sample's page and its API reference each have their own). Registering the application
    /// again (<see cref="RegisterClient"/>) or <see cref="Reset"/> forgets the extra ones.
    /// </summary>
    /// <param name="clientId">The API key of a registered application.</param>
    /// <param name="redirectUri">The extra Callback URL: an absolute http or https URL without a fragment.</param>
    /// <exception cref="ArgumentException">The client is not registered, or the Callback URL is invalid.</exception>
    public void AddRedirectUri(string clientId, string redirectUri)
    {
        if (JoinMeEmulatorValidation.ValidateClient(clientId, redirectUri) is { } error)
        {
            throw new ArgumentException(error, string.IsNullOrWhiteSpace(clientId) ? nameof(clientId) : nameof(redirectUri));
        }

        lock (_lock)
        {
            if (!_clients.TryGetValue(clientId, out var client))
            {
                throw new ArgumentException($"The client '{clientId}' is not registered with the emulator. Register it first.", nameof(clientId));
            }

            var others = _otherRedirectUris.TryGetValue(clientId, out var list) ? list : _otherRedirectUris[clientId] = [];
            if (redirectUri != client.RedirectUri && !others.Contains(redirectUri, StringComparer.Ordinal))
            {
                others.Add(redirectUri);
            }
        }
    }

    /// <summary>
    /// Issues a token to a registered application, as if a user had allowed its request.
    /// </summary>
    /// <param name="clientId">The API key of a registered application.</param>
    /// <param name="scope">The granted scopes, space-delimited (<c>"scheduler start_meeting"</c>); may be empty for a token without scopes.</param>
    /// <param name="lifetime">How long the token lives; <see langword="null"/> for <see cref="JoinMeEmulatorOptions.TokenLifetime"/>.</param>
    /// <returns>The token, with its expiry.</returns>
    /// <exception cref="ArgumentException">The client is not registered, a scope is unknown, or the lifetime is not positive.</exception>
    public JoinMeEmulatorToken MintToken(string clientId, string scope, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return MintToken(clientId, SplitScope(scope), lifetime);
    }

    /// <summary>
    /// Issues a token to a registered application, as if a user had allowed its request.
    /// </summary>
    /// <param name="clientId">The API key of a registered application.</param>
    /// <param name="scopes">The granted scope names; may be empty for a token without scopes. Duplicates are dropped.</param>
    /// <param name="lifetime">How long the token lives; <see langword="null"/> for <see cref="JoinMeEmulatorOptions.TokenLifetime"/>.</param>
    /// <returns>The token, with its expiry.</returns>
    /// <exception cref="ArgumentException">The client is not registered, a scope is unknown, or the lifetime is not positive.</exception>
    public JoinMeEmulatorToken MintToken(string clientId, IEnumerable<string> scopes, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(scopes);
        return TryMintToken(clientId, scopes, lifetime, out var token, out var error, out var parameter)
            ? token
            : throw new ArgumentException(error, parameter);
    }

    /// <summary>
    /// Revokes a token. tokenInfo rejects it once <see cref="JoinMeEmulatorOptions.RevocationDelay"/> has
    /// passed; revoking it again does not restart that delay.
    /// </summary>
    /// <param name="accessToken">The token to revoke.</param>
    /// <returns><see langword="true"/> when the token was issued by this emulator; <see langword="false"/> when it is unknown.</returns>
    public bool RevokeToken(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        lock (_lock)
        {
            if (!_tokens.TryGetValue(accessToken, out var issued))
            {
                return false;
            }

            issued.RevokedAt ??= TimeProvider.GetUtcNow();
            return true;
        }
    }

    /// <summary>
    /// Makes tokenInfo misbehave on cue, over HTTP and through the backchannel, until the next call.
    /// </summary>
    /// <param name="mode">How tokenInfo misbehaves; <see cref="JoinMeEmulatorFaultMode.None"/> to answer normally again.</param>
    /// <param name="delay">How long tokenInfo waits in <see cref="JoinMeEmulatorFaultMode.Slow"/> mode (required there, positive); must be zero for the other modes.</param>
    /// <exception cref="ArgumentException">The mode is undefined, or the delay does not fit the mode.</exception>
    public void SetFault(JoinMeEmulatorFaultMode mode, TimeSpan delay = default)
    {
        if (ValidateFault(mode, delay) is { } error)
        {
            throw new ArgumentException(error, !Enum.IsDefined(mode) ? nameof(mode) : nameof(delay));
        }

        Volatile.Write(ref _fault, mode == JoinMeEmulatorFaultMode.None ? JoinMeEmulatorFault.None : new JoinMeEmulatorFault(mode, delay));
    }

    /// <summary>
    /// Returns the emulator's counters since it was created or last reset.
    /// </summary>
    public JoinMeEmulatorStats GetStats() => new(Interlocked.Read(ref _tokenInfoCalls));

    /// <summary>
    /// Returns the emulator to its state just after it was created: only the clients of
    /// <see cref="JoinMeEmulatorOptions.Clients"/> registered, no token, no fault, counters at zero,
    /// and no consent form waiting.
    /// </summary>
    public void Reset()
    {
        lock (_lock)
        {
            _clients.Clear();
            _otherRedirectUris.Clear();
            _tokens.Clear();
            RegisterSeedClients();
            Volatile.Write(ref _fault, JoinMeEmulatorFault.None);
            Interlocked.Exchange(ref _tokenInfoCalls, 0);
        }

        ConsentTickets.Clear();
    }

    /// <summary>
    /// Creates an <see cref="HttpMessageHandler"/> that answers tokenInfo requests in memory, exactly as
    /// the emulator's HTTP endpoint does (same statuses, headers, bodies and faults; <c>down</c> throws
    /// <see cref="HttpRequestException"/>). Requests for any host are answered; paths other than tokenInfo get 404.
    /// </summary>
    /// <returns>A handler to use as the primary handler of the JoinMe handler's HTTP client.</returns>
    public HttpMessageHandler CreateBackchannelHandler() => new JoinMeEmulatorBackchannelHandler(this);

    /// <summary>
    /// Registers or updates a client and tells whether it was new.
    /// </summary>
    internal JoinMeEmulatorClient RegisterClient(string clientId, string redirectUri, out bool created)
    {
        if (JoinMeEmulatorValidation.ValidateClient(clientId, redirectUri) is { } error)
        {
            throw new ArgumentException(error, string.IsNullOrWhiteSpace(clientId) ? nameof(clientId) : nameof(redirectUri));
        }

        var client = new JoinMeEmulatorClient(clientId, redirectUri);
        lock (_lock)
        {
            created = !_clients.ContainsKey(clientId);
            _clients[clientId] = client;
            _otherRedirectUris.Remove(clientId);
        }

        return client;
    }

    /// <summary>
    /// Registers a client only when none with this id is registered yet; returns the registration in force.
    /// </summary>
    internal JoinMeEmulatorClient EnsureClient(string clientId, string redirectUri)
    {
        if (JoinMeEmulatorValidation.ValidateClient(clientId, redirectUri) is { } error)
        {
            throw new ArgumentException(error, string.IsNullOrWhiteSpace(clientId) ? nameof(clientId) : nameof(redirectUri));
        }

        lock (_lock)
        {
            if (!_clients.TryGetValue(clientId, out var client))
            {
                client = new JoinMeEmulatorClient(clientId, redirectUri);
                _clients.Add(clientId, client);
            }

            return client;
        }
    }

    /// <summary>
    /// Issues a token, or says why it cannot: the one implementation behind <see cref="MintToken(string, IEnumerable{string}, TimeSpan?)"/> and the admin API.
    /// </summary>
    internal bool TryMintToken(
        string clientId,
        IEnumerable<string> scopes,
        TimeSpan? lifetime,
        [NotNullWhen(true)] out JoinMeEmulatorToken? token,
        [NotNullWhen(false)] out string? error,
        [NotNullWhen(false)] out string? parameter)
    {
        token = null;
        var granted = new List<string>();
        foreach (var scope in scopes)
        {
            if (!IsKnownScope(scope))
            {
                (error, parameter) = ($"The scope '{scope}' is not known to the emulator. Known scopes: {string.Join(", ", _options.Scopes)}.", nameof(scopes));
                return false;
            }

            if (!granted.Contains(scope, StringComparer.Ordinal))
            {
                granted.Add(scope);
            }
        }

        var life = lifetime ?? _options.TokenLifetime;
        if (life <= TimeSpan.Zero || life > JoinMeEmulatorOptions.MaxTokenLifetime)
        {
            (error, parameter) = ($"A token's lifetime must be positive and at most {JoinMeEmulatorOptions.MaxTokenLifetime.TotalDays} days; {life} was asked for.", nameof(lifetime));
            return false;
        }

        lock (_lock)
        {
            if (!_clients.ContainsKey(clientId))
            {
                (error, parameter) = ($"The client '{clientId}' is not registered with the emulator. Register it first (RegisterClient, the Clients option, or POST /_emulator/clients).", nameof(clientId));
                return false;
            }

            string accessToken;
            do
            {
                accessToken = AccessTokenGenerator.NewAccessToken();
            }
            while (_tokens.ContainsKey(accessToken));

            token = new JoinMeEmulatorToken(accessToken, clientId, granted.AsReadOnly(), TimeProvider.GetUtcNow() + life);
            _tokens.Add(accessToken, new IssuedToken(token));
            (error, parameter) = (null, null);
            return true;
        }
    }

    /// <summary>Says what is wrong with a fault, or returns <see langword="null"/> when it can be set.</summary>
    internal static string? ValidateFault(JoinMeEmulatorFaultMode mode, TimeSpan delay)
    {
        if (!Enum.IsDefined(mode))
        {
            return $"The fault mode {(int)mode} is not defined; use none, down, slow, error, garbage or ratelimited.";
        }

        if (mode == JoinMeEmulatorFaultMode.Slow && (delay <= TimeSpan.Zero || delay > JoinMeEmulatorOptions.MaxTokenLifetime))
        {
            return "The slow fault needs a positive delay (delay_ms).";
        }

        if (mode != JoinMeEmulatorFaultMode.Slow && delay != TimeSpan.Zero)
        {
            return $"A delay (delay_ms) applies to the slow fault only, not to '{mode.ToString().ToLowerInvariant()}'.";
        }

        return null;
    }

    /// <summary>Every Callback URL registered for <paramref name="client"/>: its own, then those added with <see cref="AddRedirectUri"/>.</summary>
    internal IReadOnlyList<string> RedirectUrisOf(JoinMeEmulatorClient client)
    {
        lock (_lock)
        {
            return _otherRedirectUris.TryGetValue(client.ClientId, out var others) ? [client.RedirectUri, .. others] : [client.RedirectUri];
        }
    }

    /// <summary>Tells whether <paramref name="scope"/> is one of the scope names the emulator knows.</summary>
    internal bool IsKnownScope(string? scope) => scope is not null && _knownScopes.Contains(scope);

    /// <summary>Splits a space-delimited scope string, dropping empty entries.</summary>
    internal static string[] SplitScope(string scope) => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Tells what tokenInfo knows about <paramref name="accessToken"/> now.
    /// </summary>
    internal TokenState Inspect(string accessToken, out JoinMeEmulatorToken? token)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_tokens.TryGetValue(accessToken, out var issued))
            {
                token = null;
                return TokenState.Unknown;
            }

            token = issued.Token;
            if (issued.RevokedAt is { } revokedAt && now >= revokedAt + _options.RevocationDelay)
            {
                return TokenState.Revoked;
            }

            return now >= issued.Token.ExpiresAt ? TokenState.Expired : TokenState.Live;
        }
    }

    /// <summary>
    /// Answers one tokenInfo request, applying the current fault: the one implementation behind the HTTP
    /// endpoint and the in-memory backchannel. Every call counts in <see cref="GetStats"/>.
    /// </summary>
    /// <param name="accessToken">The request's <c>access_token</c> query values.</param>
    /// <param name="cancellationToken">Ends a slow answer early.</param>
    internal async Task<TokenInfoAnswer> AnswerTokenInfoAsync(StringValues accessToken, CancellationToken cancellationToken)
    {
        var fault = Fault;
        if (fault.Mode == JoinMeEmulatorFaultMode.Slow)
        {
            // Start the delay before counting the call, so that a test that sees the call counted can
            // advance a fake clock and be sure the delay's timer is already there.
            var delay = Task.Delay(fault.Delay, TimeProvider, cancellationToken);
            Interlocked.Increment(ref _tokenInfoCalls);
            await delay.ConfigureAwait(false);
            return TokenInfoAnswer.For(this, accessToken);
        }

        Interlocked.Increment(ref _tokenInfoCalls);
        return fault.Mode switch
        {
            JoinMeEmulatorFaultMode.Down => TokenInfoAnswer.ConnectionDropped,
            JoinMeEmulatorFaultMode.Error => TokenInfoAnswer.ServerError,
            JoinMeEmulatorFaultMode.Garbage => TokenInfoAnswer.Garbage,
            JoinMeEmulatorFaultMode.RateLimited => TokenInfoAnswer.RateLimited,
            _ => TokenInfoAnswer.For(this, accessToken),
        };
    }

    /// <summary>Registers the clients of the options; the caller holds the lock (or is the constructor).</summary>
    private void RegisterSeedClients()
    {
        foreach (var client in _options.Clients)
        {
            _clients[client.ClientId] = client;
        }
    }
}
