using System.Globalization;
using System.Net;
using System.Text.Json;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reads a tokenInfo response tolerantly, as API-FACTS.md's contract says: status codes sorted into rejected and unavailable,
/// a JSON object whose property names match without regard to case, scopes as a string or an array, and every known form of expiry.
/// Anything it cannot read with certainty is unavailable, never valid.
/// </summary>
internal static class TokenInfoResponseReader
{
    private const string MasheryErrorHeader = "X-Mashery-Error-Code";

    private static readonly string[] RateLimitErrorCodes =
        ["ERR_403_DEVELOPER_OVER_QPS", "ERR_403_DEVELOPER_OVER_RATE", "ERR_403_SERVICE_OVER_QPS"];

    // Numbers this large are Unix milliseconds: as seconds they would lie beyond the year 5000.
    private const long MillisecondsThreshold = 100_000_000_000;

    public static JoinMeFailureReason? ClassifyStatus(HttpStatusCode status, HttpResponseMessage response) => (int)status switch
    {
        200 => null,
        400 or 401 or 404 => JoinMeFailureReason.InvalidToken,
        403 => IsRateLimited(response) ? JoinMeFailureReason.RateLimited : JoinMeFailureReason.InvalidToken,
        429 => JoinMeFailureReason.RateLimited,
        _ => JoinMeFailureReason.ServiceUnavailable,
    };

    public static TokenInfoAnswer ReadBody(ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        // RFC 8259 §8.1: a parser may ignore a UTF-8 byte order mark; Utf8JsonReader does not skip it by itself.
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        try
        {
            return Parse(body, receivedAt);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Utf8JsonReader's GetString throws InvalidOperationException, not JsonException, for a string that is not valid UTF-8.
            return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
        }
    }

    private static bool IsRateLimited(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(MasheryErrorHeader, out var codes))
        {
            return false;
        }

        foreach (var value in codes)
        {
            // One header value may carry several codes, comma-separated.
            foreach (var code in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (Array.IndexOf(RateLimitErrorCodes, code) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static TokenInfoAnswer Parse(ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
        }

        var fields = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            if (!reader.Read() || !fields.Accept(name, ref reader, receivedAt))
            {
                return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
        }

        return TokenInfoAnswer.Of(new TokenInfo(fields.ClientId, fields.Scopes ?? [], fields.ExpiresAt ?? fields.ExpiresFromNow));
    }

    private sealed class Fields
    {
        private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

        public string? ClientId { get; private set; }

        public IReadOnlyList<string>? Scopes { get; private set; }

        public DateTimeOffset? ExpiresAt { get; private set; }

        public DateTimeOffset? ExpiresFromNow { get; private set; }

        public bool Accept(string? name, ref Utf8JsonReader reader, DateTimeOffset receivedAt)
        {
            var known = name is not null && (
                name.Equals("client_id", StringComparison.OrdinalIgnoreCase)
                || name.Equals("scope", StringComparison.OrdinalIgnoreCase)
                || name.Equals("expires_at", StringComparison.OrdinalIgnoreCase)
                || name.Equals("expires_in", StringComparison.OrdinalIgnoreCase));
            if (!known)
            {
                reader.Skip();
                return true;
            }

            // A repeated field could mean two parsers disagree on which value counts: read nothing from such an answer.
            if (!_seen.Add(name!))
            {
                return false;
            }

            switch (name!.ToUpperInvariant())
            {
                case "CLIENT_ID":
                    return ReadClientId(ref reader);
                case "SCOPE":
                    return ReadScopes(ref reader);
                case "EXPIRES_AT":
                    return ReadExpiresAt(ref reader);
                default:
                    return ReadExpiresIn(ref reader, receivedAt);
            }
        }

        private bool ReadClientId(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return true;
                case JsonTokenType.String:
                    var value = reader.GetString();
                    ClientId = string.IsNullOrWhiteSpace(value) ? null : value;
                    return true;
                default:
                    return false;
            }
        }

        private bool ReadScopes(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    Scopes = [];
                    return true;
                case JsonTokenType.String:
                    Scopes = SplitScopes(reader.GetString());
                    return true;
                case JsonTokenType.StartArray:
                    var scopes = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return false;
                        }

                        scopes.AddRange(SplitScopes(reader.GetString()));
                    }

                    Scopes = scopes.Distinct(StringComparer.Ordinal).ToArray();
                    return true;
                default:
                    return false;
            }
        }

        private bool ReadExpiresAt(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return true;
                case JsonTokenType.Number:
                    return reader.TryGetDouble(out var number) && SetExpiresAt(FromUnixTime(number));
                case JsonTokenType.String:
                    return SetExpiresAt(ParseTimestamp(reader.GetString()));
                default:
                    return false;
            }
        }

        private bool ReadExpiresIn(ref Utf8JsonReader reader, DateTimeOffset receivedAt)
        {
            double seconds;
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return true;
                case JsonTokenType.Number when reader.TryGetDouble(out seconds):
                    break;
                case JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds):
                    break;
                default:
                    return false;
            }

            if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
            {
                return false;
            }

            ExpiresFromNow = receivedAt.AddSeconds(seconds);
            return true;
        }

        private bool SetExpiresAt(DateTimeOffset? value)
        {
            ExpiresAt = value;
            return value is not null;
        }
    }

    private static string[] SplitScopes(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    private static DateTimeOffset? ParseTimestamp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return FromUnixTime(number);
        }

        // Only ISO 8601 shapes (yyyy-MM-dd...), so that a culture-dependent date such as 01/02/2026 is never guessed at.
        if (value.Length < 10 || !char.IsAsciiDigit(value[0]) || value[4] != '-')
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    private static DateTimeOffset? FromUnixTime(double value) =>
        !double.IsFinite(value) ? null
        : Math.Abs(value) >= MillisecondsThreshold ? FromUnixMilliseconds(value)
        : FromUnixMilliseconds(value * 1000.0);

    private static DateTimeOffset? FromUnixMilliseconds(double milliseconds)
    {
        var whole = Math.Floor(milliseconds);
        if (whole < MinUnixMilliseconds || whole > MaxUnixMilliseconds)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)whole);
    }

    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
}
