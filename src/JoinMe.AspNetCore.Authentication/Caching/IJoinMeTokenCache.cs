namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Where validation results are kept between requests. The default keeps them in a size-limited memory cache;
/// register another implementation (for example one shared by many instances) before calling <c>AddJoinMe</c> to replace it.
/// </summary>
public interface IJoinMeTokenCache
{
    /// <summary>Gets the result cached under <paramref name="key"/>, or <see langword="null"/> when there is none or it has expired.</summary>
    /// <param name="key">The token's key.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<JoinMeTokenValidationResult?> GetAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Caches <paramref name="result"/> under <paramref name="key"/> until <paramref name="absoluteExpiration"/>.</summary>
    /// <param name="key">The token's key.</param>
    /// <param name="result">A valid or rejected result; unavailable results are never cached.</param>
    /// <param name="absoluteExpiration">When the entry must be gone.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(JoinMeTokenCacheKey key, JoinMeTokenValidationResult result, DateTimeOffset absoluteExpiration, CancellationToken cancellationToken = default);

    /// <summary>Removes the result cached under <paramref name="key"/>, if any.</summary>
    /// <param name="key">The token's key.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    ValueTask RemoveAsync(JoinMeTokenCacheKey key, CancellationToken cancellationToken = default);
}
