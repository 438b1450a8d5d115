using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.DataProtection;
using ZiggyCreatures.Caching.Fusion.Serialization;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Writes <see cref="TokenFacts"/> to the shared tier authenticated by ASP.NET Core Data Protection (which a cluster shares already), so that whoever can
/// write to that store cannot make a token valid. An entry that fails the check is logged, without its key, and read as a miss. The protector's purpose
/// carries the format version: an instance of another version reads this one's entries as misses, never misreads them.
/// </summary>
internal sealed class TokenFactsSerializer(IDataProtectionProvider dataProtection, ILogger<TokenFactsSerializer> logger) : IFusionCacheSerializer
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector(JoinMeAuthenticationDefaults.TelemetryName, "TokenFacts", "v1");

    public byte[] Serialize<T>(T? obj) => _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(obj!, TypeInfo<T>()));

    public T? Deserialize<T>(byte[] data)
    {
        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(data), TypeInfo<T>());
        }
        catch (Exception exception) when (exception is CryptographicException or JsonException)
        {
            Log.SharedEntryRejected(logger, exception.GetType().Name);
            throw;
        }
    }

    public ValueTask<byte[]> SerializeAsync<T>(T? obj, CancellationToken token = default) => ValueTask.FromResult(Serialize(obj));

    public ValueTask<T?> DeserializeAsync<T>(byte[] data, CancellationToken token = default) => ValueTask.FromResult(Deserialize<T>(data));

    private static JsonTypeInfo<T> TypeInfo<T>() => TokenFactsJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"The join.me token cache stores only its own entries, not {typeof(T).Name}.");
}
