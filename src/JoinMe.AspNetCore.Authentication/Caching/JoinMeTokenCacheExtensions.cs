namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Convenience methods on <see cref="IJoinMeTokenCache"/>.
/// </summary>
public static class JoinMeTokenCacheExtensions
{
    /// <summary>
    /// Forgets what is cached about <paramref name="accessToken"/>, so that its next use asks join.me again
    /// (for example after logout or revocation).
    /// </summary>
    /// <param name="cache">The cache.</param>
    /// <param name="accessToken">The access token.</param>
    /// <param name="scheme">The authentication scheme; defaults to <see cref="JoinMeAuthenticationDefaults.AuthenticationScheme"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    public static ValueTask EvictAsync(
        this IJoinMeTokenCache cache,
        string accessToken,
        string scheme = JoinMeAuthenticationDefaults.AuthenticationScheme,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(accessToken);
        return cache.RemoveAsync(JoinMeTokenCacheKey.Create(scheme, accessToken), cancellationToken);
    }
}
