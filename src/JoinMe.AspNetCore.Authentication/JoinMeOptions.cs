namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Options of the join.me bearer authentication handler. Every setting but the delegates can also come from configuration,
/// under <c>Authentication:Schemes:{scheme}</c>; they are checked at start-up.
/// </summary>
public class JoinMeOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with their defaults.</summary>
    public JoinMeOptions()
    {
        Events = new JoinMeEvents();
    }

    /// <summary>
    /// The join.me authorization server whose tokenInfo endpoint validates tokens. Default: <c>https://secure.join.me</c>.
    /// Must be https unless <see cref="RequireHttpsAuthority"/> is off. Cached answers are shared by every scheme and app with the same authority.
    /// </summary>
    public string Authority { get; set; } = JoinMeAuthenticationDefaults.Authority;

    /// <summary>
    /// The API keys (client ids) whose tokens this API accepts: your own join.me app's key. A token issued to any other client is rejected,
    /// which protects against the confused deputy problem. Required: at least one. Checked on every request, against cached answers too.
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

    /// <summary>How long one tokenInfo call may take in all, retries included, shared by every request that waits for it. Default: 5 seconds.</summary>
    public TimeSpan TokenInfoTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest tokenInfo response body read, in bytes; a larger one counts as unavailable. Default: 16 KiB.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024;

    /// <summary>How much earlier than its <c>expires_at</c> a token is treated as expired, to allow for clocks that disagree. Default: 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a tokenInfo answer is trusted before join.me is asked again, whatever the token's own expiry. Default: 24 hours, join.me's token lifetime.
    /// join.me takes up to 10 minutes to propagate a revocation; a shorter value makes revocations reach this API sooner.
    /// </summary>
    public TimeSpan MaxCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a token join.me rejected is remembered, so that replaying it does not reach join.me. Default: 30 seconds. Zero turns it off.</summary>
    public TimeSpan RejectedTokenCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a tokenInfo answer that gave no expiry is trusted. Default: 1 minute.</summary>
    public TimeSpan NoExpiryCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many tokens this API does not know yet (cache misses, each a tokenInfo call) one caller may bring per minute, bursts included; beyond that
    /// the request gets 429 with <c>Retry-After</c> and costs no call. Tokens already cached are never limited. Default: 60. Zero turns the budget off.
    /// </summary>
    public int MaxCacheMissesPerCallerPerMinute { get; set; } = 60;

    /// <summary>
    /// Who "one caller" is for <see cref="MaxCacheMissesPerCallerPerMinute"/>. Default: the remote IP address as ASP.NET Core's forwarded-headers
    /// middleware leaves it (an IPv6 address by its /64 network); requests without one share a budget.
    /// </summary>
    public Func<HttpContext, string> CallerPartitionKey { get; set; } = DefaultCallerPartitionKey;

    /// <summary>
    /// The most tokenInfo calls this scheme makes per second, or <see langword="null"/> for no ceiling (the default). Set it below your join.me key's
    /// rate limit, so that this app never trips join.me's gateway; calls beyond it are not made and their requests get 503.
    /// </summary>
    public int? MaxTokenInfoCallsPerSecond { get; set; }

    /// <summary>The status code sent when a token cannot be judged now (join.me unavailable): 503 (default), so clients keep their good tokens, or 401.</summary>
    public int UnavailableStatusCode { get; set; } = StatusCodes.Status503ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> sent with a 503. Default: 5 seconds. Zero leaves the header out.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>realm</c> put in <c>WWW-Authenticate</c>, or <see langword="null"/> for none. Default: <see langword="null"/>.</summary>
    public string? Realm { get; set; }

    /// <summary>Whether <c>WWW-Authenticate</c> carries an <c>error_description</c>. Default: <see langword="true"/>. Descriptions never contain secrets.</summary>
    public bool IncludeErrorDetails { get; set; } = true;

    /// <summary>
    /// The named <see cref="IHttpClientFactory"/> client used to call tokenInfo. Default: <see cref="JoinMeAuthenticationDefaults.HttpClientName"/>, which
    /// follows no redirects, logs no URLs and has the standard resilience handler. A client you name instead gets none of that unless you add it.
    /// </summary>
    public string HttpClientName { get; set; } = JoinMeAuthenticationDefaults.HttpClientName;

    /// <summary>The object whose handlers are raised during authentication; subclass <see cref="JoinMeEvents"/> or set its delegates.</summary>
    public new JoinMeEvents Events
    {
        get => (JoinMeEvents)base.Events!;
        set => base.Events = value;
    }

    private static string DefaultCallerPartitionKey(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => string.Empty,
        { IsIPv4MappedToIPv6: true } address => address.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } address => NetworkOf(address) + "/64",
        var address => address.ToString(),
    };

    // One IPv6 user holds a whole /64, so the budget counts per /64.
    private static string NetworkOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString();
    }
}
