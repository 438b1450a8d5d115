using System.Security.Cryptography;
using System.Text;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.Internal;

namespace JoinMe.AspNetCore.Performance.Tests;

/// <summary>
/// The managed SHA-256 behind the cache key (an optimisation of the hot path) gives exactly the platform's bytes: on the NIST
/// vectors, on every length across the one- and two-block padding boundaries and several blocks, and on random input.
/// </summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Matches_the_NIST_vectors(string message, string expected)
    {
        Assert.Equal(expected, Hex(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void Matches_the_NIST_vector_of_a_million_as()
    {
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex(Encoding.ASCII.GetBytes(new string('a', 1_000_000))));
    }

    [Fact]
    public void Matches_the_platform_on_every_length_up_to_1000()
    {
        var random = new Random(20261128);
        for (var length = 0; length <= 1_000; length++)
        {
            var message = new byte[length];
            random.NextBytes(message);
            Assert.True(SHA256.HashData(message).AsSpan().SequenceEqual(Hash(message)), $"length {length}");
        }
    }

    [Fact]
    public void Matches_the_platform_on_random_messages()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var message = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 4_096));
            Assert.True(SHA256.HashData(message).AsSpan().SequenceEqual(Hash(message)), $"length {message.Length}");
        }
    }

    [Fact]
    public void Cache_keys_stay_the_SHA_256_of_the_token_in_UTF_8()
    {
        foreach (var token in new[] { "hit2345678923456789abcde", "a", new string('x', 4_000), "tökén-ünicode" })
        {
            var expected = $"joinme:JoinMe:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";
            Assert.Equal(expected, JoinMeTokenCacheKey.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, token).ToDistributedCacheKey());
        }
    }

    [Fact]
    public void Refuses_a_destination_shorter_than_a_hash()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.HashData([1, 2, 3], new byte[31]));
    }

    private static byte[] Hash(byte[] message)
    {
        var hash = new byte[Sha256.HashSizeInBytes];
        Sha256.HashData(message, hash);
        return hash;
    }

    private static string Hex(byte[] message) => Convert.ToHexStringLower(Hash(message));
}
