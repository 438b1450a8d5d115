using System.Security.Cryptography;
using System.Text;

namespace JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

public static class Tokens
{
    // join.me's own token alphabet (API-FACTS.md): tokens made from it never occur by chance in a log line.
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    /// <summary>A fresh token of join.me's shape: 24 characters, unique in practice.</summary>
    public static string New() => string.Create(24, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
    });

    /// <summary>A token of join.me's shape drawn from <paramref name="random"/>, for seeded tests.</summary>
    public static string New(Random random) => string.Create(24, random, static (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[r.Next(Alphabet.Length)];
        }
    });

    /// <summary>Every form of <paramref name="token"/> that must never show in a log, a failure message or a tag.</summary>
    public static IEnumerable<string> SecretFormsOf(string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        yield return token;
        yield return Uri.EscapeDataString(token);
        yield return Convert.ToHexStringLower(hash);
        yield return Convert.ToHexString(hash);
        yield return Convert.ToBase64String(hash);
    }

    /// <summary>Fails when any text holds any secret form of any token; says where, never what.</summary>
    public static void AssertNoneLeaked(IEnumerable<string> tokens, IEnumerable<(string Where, string Text)> texts)
    {
        var secrets = tokens.Distinct(StringComparer.Ordinal).SelectMany(SecretFormsOf).ToArray();
        var leaks = texts
            .Where(text => secrets.Any(secret => text.Text.Contains(secret, StringComparison.Ordinal)))
            .Select(text => text.Where)
            .Take(5)
            .ToArray();
        Assert.True(leaks.Length == 0, "A token or its hash was found in: " + string.Join("; ", leaks));
    }
}
