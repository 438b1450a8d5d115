using System.Buffers;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Reads an access token from a request as RFC 6750 §2 allows, and checks its syntax.</summary>
internal static class BearerTokenReader
{
    // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static readonly SearchValues<char> B64TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

    /// <summary>
    /// Reads the token: <see langword="null"/> when there is none for this scheme, <see cref="JoinMeFailureReason.None"/> with a well-formed token,
    /// or why the request's token cannot be used. The token stays a slice of the header (or query) string: hashing it needs no copy.
    /// </summary>
    public static JoinMeFailureReason? Read(HttpRequest request, JoinMeOptions options, out ReadOnlyMemory<char> token)
    {
        token = default;
        var fromHeader = ReadAuthorizationHeader(request, out var candidate);
        if (options.AcceptTokenFromQuery && request.Query["access_token"] is { Count: > 0 } query)
        {
            if (query.Count > 1 || fromHeader is not null)
            {
                return JoinMeFailureReason.InvalidRequest;
            }

            (fromHeader, candidate) = (JoinMeFailureReason.None, (query[0] ?? string.Empty).AsMemory());
        }

        if (fromHeader != JoinMeFailureReason.None)
        {
            return fromHeader;
        }

        if (!IsWellFormed(candidate.Span, options.MaxTokenLength))
        {
            return JoinMeFailureReason.MalformedToken;
        }

        token = candidate;
        return JoinMeFailureReason.None;
    }

    public static bool IsWellFormed(ReadOnlySpan<char> token, int maxLength)
    {
        if (token.IsEmpty || token.Length > maxLength)
        {
            return false;
        }

        var firstOther = token.IndexOfAnyExcept(B64TokenCharacters);
        return firstOther < 0 || (firstOther > 0 && !token[firstOther..].ContainsAnyExcept('='));
    }

    private static JoinMeFailureReason? ReadAuthorizationHeader(HttpRequest request, out ReadOnlyMemory<char> token)
    {
        token = default;
        var values = request.Headers.Authorization;
        if (values.Count > 1)
        {
            return JoinMeFailureReason.InvalidRequest;
        }

        const string Bearer = "Bearer";
        var header = values.Count == 1 ? values[0] : null;
        if (header is null
            || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            || (header.Length > Bearer.Length && header[Bearer.Length] != ' '))
        {
            return null;
        }

        var credentials = header.AsSpan(Bearer.Length).TrimStart(' ');
        if (credentials.IsEmpty)
        {
            return JoinMeFailureReason.MalformedToken;
        }

        token = header.AsMemory(header.Length - credentials.Length);
        return JoinMeFailureReason.None;
    }
}
