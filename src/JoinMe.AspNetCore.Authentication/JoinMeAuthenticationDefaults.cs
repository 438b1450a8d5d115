namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Default values used by the join.me bearer authentication handler.
/// </summary>
public static class JoinMeAuthenticationDefaults
{
    /// <summary>The default authentication scheme name: <c>JoinMe</c>.</summary>
    public const string AuthenticationScheme = "JoinMe";

    /// <summary>The default display name of the scheme.</summary>
    public const string DisplayName = "join.me";

    /// <summary>join.me's authorization server.</summary>
    public const string Authority = "https://secure.join.me";

    /// <summary>The path of join.me's OAuth 2.0 authorize endpoint, relative to the authority.</summary>
    public const string AuthorizePath = "/api/public/v1/auth/oauth2";

    /// <summary>The path of join.me's tokenInfo endpoint, relative to the authority.</summary>
    public const string TokenInfoPath = "/api/public/v1/auth/tokenInfo";

    /// <summary>
    /// The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client used to call tokenInfo. Its resilience (Microsoft.Extensions.Http.Resilience's
    /// standard handler) is configured by the <c>HttpStandardResilienceOptions</c> named <see cref="ResilienceOptionsName"/>.
    /// </summary>
    public const string HttpClientName = "JoinMe.TokenInfo";

    /// <summary>The name of the tokenInfo client's <c>HttpStandardResilienceOptions</c>; they are also read from the configuration section <c>JoinMe:Resilience</c>.</summary>
    public const string ResilienceOptionsName = HttpClientName + "-standard";

    /// <summary>
    /// The name of the FusionCache instance that holds what tokenInfo said about tokens, of its memory tier's <c>MemoryCacheOptions</c>, and the service key of
    /// an optional shared tier (a keyed <c>IDistributedCache</c>, backplane and distributed locker, as the JoinMe.AspNetCore.Authentication.Redis package registers).
    /// </summary>
    public const string CacheName = "JoinMe";

    /// <summary>The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string TelemetryName = "JoinMe.AspNetCore.Authentication";
}
