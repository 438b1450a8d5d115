using System.Buffers;
using System.Net.Http.Headers;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Calls join.me's tokenInfo endpoint through the scheme's named client and reads the answer tolerantly, as docs/join.me.md's contract says:
/// statuses sorted into rejected and unavailable, a JSON object whose property names match without regard to case, scopes as a string or an array,
/// and every known form of expiry. Anything it cannot read with certainty is unavailable, never valid.
/// </summary>
internal sealed class TokenInfoClient(IHttpClientFactory httpClientFactory)
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private static readonly string[] RateLimitErrorCodes = ["ERR_403_DEVELOPER_OVER_QPS", "ERR_403_DEVELOPER_OVER_RATE", "ERR_403_SERVICE_OVER_QPS"];

    // Numbers this large are Unix milliseconds: as seconds they would lie beyond the year 5000.
    private const double MillisecondsThreshold = 100_000_000_000;

    public static string RequestUri(JoinMeOptions options, string token) =>
        options.Authority.TrimEnd('/') + JoinMeAuthenticationDefaults.TokenInfoPath + "?access_token=" + Uri.EscapeDataString(token);

    /// <summary>Asks tokenInfo about <paramref name="token"/>; failures to connect or time out are thrown, as the resilience pipeline throws them.</summary>
    public async Task<TokenFacts> GetAsync(JoinMeOptions options, string token, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RequestUri(options, token));
        request.Headers.Accept.Add(Json);
        using var response = await httpClientFactory.CreateClient(options.HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var receivedAt = time.GetUtcNow();
        if (ClassifyStatus(response) is { } failure)
        {
            return new TokenFacts(failure, null, receivedAt);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxResponseBytes + 1);
        try
        {
            var length = 0;
            if (response.Content.Headers.ContentLength <= options.MaxResponseBytes || response.Content.Headers.ContentLength is null)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    length = await stream.ReadAtLeastAsync(buffer.AsMemory(0, options.MaxResponseBytes + 1), options.MaxResponseBytes + 1, false, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            var info = length is > 0 && length <= options.MaxResponseBytes ? Read(buffer.AsMemory(0, length), receivedAt) : null;
            return new TokenFacts(info is null ? JoinMeFailureReason.UnreadableResponse : JoinMeFailureReason.None, info, receivedAt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>What a status says about the token, or <see langword="null"/> when the body must be read (200).</summary>
    public static JoinMeFailureReason? ClassifyStatus(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        200 => null,
        400 or 401 or 404 => JoinMeFailureReason.InvalidToken,
        403 => IsRateLimited(response) ? JoinMeFailureReason.RateLimited : JoinMeFailureReason.InvalidToken,
        429 => JoinMeFailureReason.RateLimited,
        _ => JoinMeFailureReason.ServiceUnavailable,
    };

    /// <summary>Reads a 200's body, or gives <see langword="null"/> when it is not a tokenInfo object that can be read with certainty.</summary>
    public static JoinMeTokenInfo? Read(ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
    {
        // RFC 8259 §8.1: a parser may ignore a UTF-8 byte order mark; the JSON reader does not skip it by itself.
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            return Read(document.RootElement, receivedAt);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            // GetString throws InvalidOperationException, not JsonException, for a string that is not valid UTF-8.
            return null;
        }
    }

    private static JoinMeTokenInfo? Read(JsonElement root, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var seen = 0;
        string? clientId = null;
        string[] scopes = [];
        DateTimeOffset? expiresAt = null, expiresFromNow = null;
        foreach (var property in root.EnumerateObject())
        {
            var field = Array.FindIndex(Fields, name => string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase));
            if (field < 0)
            {
                continue;
            }

            // A repeated field could mean two parsers disagree on which value counts: read nothing from such an answer.
            if ((seen & (1 << field)) != 0)
            {
                return null;
            }

            seen |= 1 << field;
            var value = property.Value;
            var ok = field switch
            {
                0 => TryReadClientId(value, out clientId),
                1 => TryReadScopes(value, out scopes),
                2 => value.ValueKind == JsonValueKind.Null || (expiresAt = ReadTimestamp(value)) is not null,
                _ => value.ValueKind == JsonValueKind.Null || (expiresFromNow = ReadSecondsFrom(value, receivedAt)) is not null,
            };
            if (!ok)
            {
                return null;
            }
        }

        // When both are given and disagree, the earlier one counts.
        var expiry = expiresAt is { } at && expiresFromNow is { } fromNow ? (at < fromNow ? at : fromNow) : expiresAt ?? expiresFromNow;
        return new JoinMeTokenInfo(clientId, scopes, expiry);
    }

    private static readonly string[] Fields = ["client_id", "scope", "expires_at", "expires_in"];

    private static bool TryReadClientId(JsonElement value, out string? clientId)
    {
        clientId = value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;
        return value.ValueKind is JsonValueKind.Null or JsonValueKind.String;
    }

    private static bool TryReadScopes(JsonElement value, out string[] scopes)
    {
        scopes = [];
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                scopes = Split(value.GetString());
                return true;
            case JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String):
                scopes = [.. value.EnumerateArray().SelectMany(item => Split(item.GetString())).Distinct(StringComparer.Ordinal)];
                return true;
            default:
                return false;
        }
    }

    private static string[] Split(string? value) =>
        [.. (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static DateTimeOffset? ReadTimestamp(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDouble(out var number) ? FromUnixTime(number) : null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromUnixTime(seconds);
        }

        // Only ISO 8601 shapes (yyyy-MM-dd...), so that a culture-dependent date such as 01/02/2026 is never guessed at. No offset means UTC.
        return text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    private static DateTimeOffset? ReadSecondsFrom(JsonElement value, DateTimeOffset receivedAt)
    {
        var seconds = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var number) => number,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => double.NaN,
        };
        return double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.FromDays(3650).TotalSeconds ? receivedAt.AddSeconds(seconds) : null;
    }

    private static DateTimeOffset? FromUnixTime(double value)
    {
        var milliseconds = Math.Floor(Math.Abs(value) >= MillisecondsThreshold ? value : value * 1000.0);
        return double.IsFinite(milliseconds) && milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds)
            : null;
    }

    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static bool IsRateLimited(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Mashery-Error-Code", out var values)
        // One header value may carry several codes, comma-separated.
        && values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)).Any(code => RateLimitErrorCodes.Contains(code, StringComparer.Ordinal));
}
