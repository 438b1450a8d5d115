using System.Security.Cryptography;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>Fresh access tokens shaped like join.me's: 24 characters of its alphabet.</summary>
public static class Tokens
{
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 24);
}
