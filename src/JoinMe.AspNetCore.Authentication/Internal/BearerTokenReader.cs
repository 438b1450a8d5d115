using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Reads an access token from a request as RFC 6750 §2 allows, and checks its syntax.</summary>
internal static class BearerTokenReader
{
    private const string BearerScheme = "Bearer";
    private const string QueryParameter = "access_token";

    // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static readonly SearchValues<char> B64TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

    /// <summary>
    /// Reads the token. It comes back as a slice of the header (or query) string, so that the cache-hit path can hash it
    /// without copying it: turn it into a string only when one is needed.
    /// </summary>
    public static TokenReadStatus Read(HttpRequest request, JoinMeOptions options, out ReadOnlyMemory<char> token)
    {
        token = default;
        var headerStatus = ReadAuthorizationHeader(request.Headers.Authorization, out var headerToken);
        if (!options.AcceptTokenFromQuery)
        {
            return Finish(headerStatus, headerToken, options.MaxTokenLength, out token);
        }

        var queryValues = request.Query[QueryParameter];
        if (queryValues.Count == 0)
        {
            return Finish(headerStatus, headerToken, options.MaxTokenLength, out token);
        }

        if (queryValues.Count > 1 || headerStatus != TokenReadStatus.None)
        {
            return TokenReadStatus.InvalidRequest;
        }

        return Finish(TokenReadStatus.Found, (queryValues[0] ?? string.Empty).AsMemory(), options.MaxTokenLength, out token);
    }

    public static bool IsWellFormed(ReadOnlySpan<char> token, int maxLength)
    {
        if (token.IsEmpty || token.Length > maxLength)
        {
            return false;
        }

        var firstOther = token.IndexOfAnyExcept(B64TokenCharacters);
        if (firstOther < 0)
        {
            return true;
        }

        return firstOther > 0 && !token[firstOther..].ContainsAnyExcept('=');
    }

    private static TokenReadStatus Finish(TokenReadStatus status, ReadOnlyMemory<char> candidate, int maxLength, out ReadOnlyMemory<char> token)
    {
        token = default;
        if (status != TokenReadStatus.Found)
        {
            return status;
        }

        if (!IsWellFormed(candidate.Span, maxLength))
        {
            return TokenReadStatus.Malformed;
        }

        token = candidate;
        return TokenReadStatus.Found;
    }

    private static TokenReadStatus ReadAuthorizationHeader(StringValues values, out ReadOnlyMemory<char> token)
    {
        token = default;
        if (values.Count == 0)
        {
            return TokenReadStatus.None;
        }

        if (values.Count > 1)
        {
            return TokenReadStatus.InvalidRequest;
        }

        var header = values[0];
        if (header is null
            || !header.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
            || (header.Length > BearerScheme.Length && header[BearerScheme.Length] != ' '))
        {
            return TokenReadStatus.None;
        }

        var credentials = header.AsSpan(BearerScheme.Length).TrimStart(' ');
        if (credentials.IsEmpty)
        {
            return TokenReadStatus.Malformed;
        }

        token = header.AsMemory(header.Length - credentials.Length);
        return TokenReadStatus.Found;
    }
}

/// <summary>What <see cref="BearerTokenReader"/> found.</summary>
internal enum TokenReadStatus
{
    /// <summary>No token for this scheme: no Authorization header, or one of another scheme.</summary>
    None,

    /// <summary>A well-formed token.</summary>
    Found,

    /// <summary>A Bearer credential that is empty, too long or not b64token syntax.</summary>
    Malformed,

    /// <summary>The token was sent more than once or in more than one way.</summary>
    InvalidRequest,
}
