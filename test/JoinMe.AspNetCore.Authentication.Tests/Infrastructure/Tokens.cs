using System.Buffers.Text;
using System.Security.Cryptography;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>Access tokens shaped like join.me's (24 characters of its alphabet), and the check that none of them leaked.</summary>
public static class Tokens
{
    // join.me's own token alphabet: tokens made from it never occur by chance in a log line.
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    /// <summary>A fresh token, unique in practice.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>A token drawn from <paramref name="random"/>, for seeded tests.</summary>
    public static string New(Random random) => new(random.GetItems(Alphabet.AsSpan(), 24));

    /// <summary>Every form of <paramref name="token"/> that must never show in a log, a failure message, a tag or a cache value.</summary>
    public static IEnumerable<string> SecretFormsOf(string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return [token, Uri.EscapeDataString(token), Convert.ToHexStringLower(hash), Convert.ToHexString(hash), Convert.ToBase64String(hash), Base64Url.EncodeToString(hash)];
    }

    /// <summary>Fails when any text holds any secret form of any token; says where, never what.</summary>
    public static void AssertNoneLeaked(IEnumerable<string> tokens, IEnumerable<(string Where, string Text)> texts)
    {
        var secrets = tokens.Distinct(StringComparer.Ordinal).SelectMany(SecretFormsOf).ToArray();
        var leaks = texts.Where(text => secrets.Any(secret => text.Text.Contains(secret, StringComparison.Ordinal))).Select(text => text.Where).Take(5).ToArray();
        Assert.True(leaks.Length == 0, "A token or its hash was found in: " + string.Join("; ", leaks));
    }
}
