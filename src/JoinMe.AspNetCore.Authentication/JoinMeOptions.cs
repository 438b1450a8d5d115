using System.Collections.Frozen;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Options of the join.me bearer authentication handler. Every setting can also come from configuration,
/// under <c>Authentication:Schemes:{scheme}</c>.
/// </summary>
public class JoinMeOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with their defaults.</summary>
    public JoinMeOptions()
    {
        Events = new JoinMeEvents();
    }

    /// <summary>
    /// The join.me authorization server whose tokenInfo endpoint validates tokens.
    /// Default: <c>https://secure.join.me</c>. Must be https unless <see cref="RequireHttpsAuthority"/> is off.
    /// </summary>
    public string Authority { get; set; } = JoinMeAuthenticationDefaults.Authority;

    /// <summary>
    /// The API keys (client ids) whose tokens this API accepts: your own join.me app's key. A token issued to any other
    /// client is rejected, which protects against the confused deputy problem. Required: at least one.
    /// </summary>
    public ICollection<string> AllowedClientIds { get; } = new List<string>();

    /// <summary>Whether <see cref="Authority"/> must use https. Default: <see langword="true"/>. Turn off only for a local emulator.</summary>
    public bool RequireHttpsAuthority { get; set; } = true;

    /// <summary>Whether a token in the <c>access_token</c> query parameter is accepted (RFC 6750 §2.3). Default: <see langword="false"/>.</summary>
    public bool AcceptTokenFromQuery { get; set; }

    /// <summary>The longest token accepted, in characters; longer ones are rejected without calling tokenInfo. Default: 1024.</summary>
    public int MaxTokenLength { get; set; } = 1024;

    /// <summary>Whether the access token is stored in the <see cref="AuthenticationProperties"/> of a successful authentication. Default: <see langword="false"/>.</summary>
    public bool SaveToken { get; set; }

    /// <summary>How long one tokenInfo call may take in all, shared by every request that waits for it. Default: 5 seconds.</summary>
    public TimeSpan TokenInfoTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest tokenInfo response body read, in bytes; a larger one counts as unavailable. Default: 16 KiB.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How much earlier than its <c>expires_at</c> a token is treated as expired, to allow for clocks that disagree. Default: 30 seconds.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a valid result is cached, or <see langword="null"/> to cache it until the token expires. Default: <see langword="null"/>.
    /// join.me takes up to 10 minutes to propagate a revocation; a shorter cap makes revocations reach this API sooner.
    /// </summary>
    public TimeSpan? MaxCacheDuration { get; set; }

    /// <summary>How long a rejected token is remembered, so that replaying it does not reach join.me. Default: 30 seconds. Zero turns it off.</summary>
    public TimeSpan RejectedTokenCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a valid result whose tokenInfo answer gave no expiry is cached. Default: 1 minute.</summary>
    public TimeSpan NoExpiryCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The status code sent when join.me is unavailable: 503 (default), so clients keep their good tokens, or 401.
    /// </summary>
    public int UnavailableStatusCode { get; set; } = StatusCodes.Status503ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> sent with a 503. Default: 5 seconds. Zero leaves the header out.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>realm</c> put in <c>WWW-Authenticate</c>, or <see langword="null"/> for none. Default: <see langword="null"/>.</summary>
    public string? Realm { get; set; }

    /// <summary>Whether <c>WWW-Authenticate</c> carries an <c>error_description</c>. Default: <see langword="true"/>. Descriptions never contain secrets.</summary>
    public bool IncludeErrorDetails { get; set; } = true;

    /// <summary>The named <see cref="System.Net.Http.IHttpClientFactory"/> client used to call tokenInfo. Default: <see cref="JoinMeAuthenticationDefaults.HttpClientName"/>.</summary>
    public string HttpClientName { get; set; } = JoinMeAuthenticationDefaults.HttpClientName;

    /// <summary>How tokenInfo calls survive a slow or failing join.me: concurrency cap, attempt timeout, retry, circuit breaker.</summary>
    public JoinMeResilienceOptions Resilience { get; } = new();

    /// <summary>The object whose handlers are raised during authentication; subclass <see cref="JoinMeEvents"/> or set its delegates.</summary>
    public new JoinMeEvents Events
    {
        get => (JoinMeEvents)base.Events!;
        set => base.Events = value;
    }

    // Derived on first use rather than in a post-configure step, so that a PostConfigure<JoinMeOptions> of the application's,
    // registered after AddJoinMe, still counts. Options are not changed once built.
    private FrozenSet<string>? _allowedClientIdSet;
    private string? _tokenInfoRequestPrefix;

    internal FrozenSet<string> AllowedClientIdSet => _allowedClientIdSet ??= AllowedClientIds
        .Where(id => !string.IsNullOrWhiteSpace(id))
        .Select(id => id.Trim())
        .ToFrozenSet(StringComparer.Ordinal);

    internal string TokenInfoRequestPrefix => _tokenInfoRequestPrefix ??=
        (Authority ?? string.Empty).Trim().TrimEnd('/') + JoinMeAuthenticationDefaults.TokenInfoPath + "?access_token=";
}
