using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// A shared tier that several in-process test hosts use at once, as instances of a cluster (or several APIs) share one Redis: an
/// <see cref="IDistributedCache"/> registered under the token cache's name, and the Data Protection keys a cluster shares.
/// </summary>
public sealed class SharedCache
{
    public IDistributedCache Store { get; init; } = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));

    public IDataProtectionProvider Keys { get; } = new EphemeralDataProtectionProvider();

    public void AddTo(IServiceCollection services) => services
        .AddKeyedSingleton(JoinMeAuthenticationDefaults.CacheName, Store)
        .AddSingleton(Keys);
}

/// <summary>A shared tier that is down: every call throws, as a refused connection would.</summary>
public sealed class BrokenDistributedCache(Func<Exception> failure) : IDistributedCache
{
    public byte[]? Get(string key) => throw failure();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromException<byte[]?>(failure());

    public void Refresh(string key) => throw failure();

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromException(failure());

    public void Remove(string key) => throw failure();

    public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(failure());

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw failure();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromException(failure());
}
