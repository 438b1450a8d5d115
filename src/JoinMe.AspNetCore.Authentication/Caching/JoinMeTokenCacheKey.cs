using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using JoinMe.AspNetCore.Authentication.Internal;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The cache key of one token in one scheme: the scheme's name and the SHA-256 hash of the token, never the token itself.
/// Keys of different schemes never collide, so several schemes or APIs can share one cache.
/// </summary>
public readonly struct JoinMeTokenCacheKey : IEquatable<JoinMeTokenCacheKey>
{
    private const int StackLimit = 512;

    private readonly ulong _hash0;
    private readonly ulong _hash1;
    private readonly ulong _hash2;
    private readonly ulong _hash3;

    private JoinMeTokenCacheKey(string scheme, ReadOnlySpan<byte> hash)
    {
        Scheme = scheme;
        _hash0 = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        _hash1 = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        _hash2 = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        _hash3 = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
    }

    /// <summary>The authentication scheme the key belongs to.</summary>
    public string Scheme { get; }

    /// <summary>Makes the key of <paramref name="accessToken"/> in <paramref name="scheme"/>.</summary>
    /// <param name="scheme">The authentication scheme's name.</param>
    /// <param name="accessToken">The access token.</param>
    public static JoinMeTokenCacheKey Create(string scheme, ReadOnlySpan<char> accessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetMaxByteCount(accessToken.Length);
        byte[]? rented = null;
        Span<byte> utf8 = byteCount <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var written = Encoding.UTF8.GetBytes(accessToken, utf8);
            Sha256.HashData(utf8[..written], hash);
            return new JoinMeTokenCacheKey(scheme, hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// The key as a string for a shared (distributed) cache: <c>joinme:{scheme}:{sha256 hex}</c>.
    /// Treat it as sensitive: do not log it.
    /// </summary>
    public string ToDistributedCacheKey()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(hash, _hash0);
        BinaryPrimitives.WriteUInt64LittleEndian(hash[8..], _hash1);
        BinaryPrimitives.WriteUInt64LittleEndian(hash[16..], _hash2);
        BinaryPrimitives.WriteUInt64LittleEndian(hash[24..], _hash3);
        return $"joinme:{Scheme}:{Convert.ToHexStringLower(hash)}";
    }

    /// <inheritdoc />
    public bool Equals(JoinMeTokenCacheKey other) =>
        _hash0 == other._hash0 && _hash1 == other._hash1 && _hash2 == other._hash2 && _hash3 == other._hash3
        && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JoinMeTokenCacheKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_hash0, Scheme);

    /// <summary>Names the scheme only; the hash is left out so that logging a key reveals nothing.</summary>
    public override string ToString() => $"JoinMeTokenCacheKey({Scheme})";

    /// <summary>Whether two keys are equal.</summary>
    /// <param name="left">One key.</param>
    /// <param name="right">The other key.</param>
    public static bool operator ==(JoinMeTokenCacheKey left, JoinMeTokenCacheKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    /// <param name="left">One key.</param>
    /// <param name="right">The other key.</param>
    public static bool operator !=(JoinMeTokenCacheKey left, JoinMeTokenCacheKey right) => !left.Equals(right);
}
