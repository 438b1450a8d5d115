using System.Buffers.Text;
using System.Security.Cryptography;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Makes the emulator's secrets from a CSPRNG: access tokens in join.me's observed shape, and the
/// opaque values that bind a consent form to the browser it was shown in.
/// </summary>
internal static class AccessTokenGenerator
{
    /// <summary>The alphabet of join.me's access tokens seen in public samples (no 0, 1, i, l, o).</summary>
    public const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    /// <summary>The length of join.me's access tokens seen in public samples.</summary>
    public const int Length = 24;

    /// <summary>Makes a new access token: <see cref="Length"/> characters of <see cref="Alphabet"/>.</summary>
    public static string NewAccessToken() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>Makes a new 256-bit opaque value, base64url-encoded.</summary>
    public static string NewOpaqueValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
