using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>What the contract says a request must get, worked out from how it was generated, never by running the handler's code.</summary>
public sealed record Expectation(int Status, string? Challenge, int Calls)
{
    public static readonly Expectation NoToken = new(401, Challenges.NoToken, 0);
    public static readonly Expectation Malformed = new(401, Challenges.Malformed, 0);
    public static readonly Expectation InvalidRequest = new(400, Challenges.InvalidRequest, 0);
    public static readonly Expectation Invalid = new(401, Challenges.Invalid, 1);
    public static readonly Expectation Expired = new(401, Challenges.Expired, 1);
    public static readonly Expectation Unreadable = new(503, Challenges.Unavailable, 1);
    public static readonly Expectation RateLimited = new(503, Challenges.Unavailable, 1);
    public static readonly Expectation Transient = new(503, Challenges.Unavailable, 2);
    public static readonly Expectation Valid = new(200, null, 1);

    /// <summary>Whether the handler keeps this result, so that the same token again makes no call.</summary>
    public bool Cacheable => Calls > 0 && Status != 503;
}

/// <summary>One generated request: its Authorization headers, the tokenInfo answer scripted for its token, and what it must get.</summary>
public sealed record RandomCase(string[] Authorization, string? Token, Reply? Answer, string Path, Expectation Expected, string Description);

/// <summary>
/// Generates random requests and tokenInfo answers from a seeded <see cref="Random"/>. Each answer is built from facts chosen first
/// (whose client, which expiry, which types), and the expectation follows from those facts and docs/join.me.md alone.
/// </summary>
public sealed partial class RandomCases(int seed, DateTimeOffset now)
{
    private const string B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
    private static readonly string[] Hostile =
    [
        " ", "\t", "\r", "\n", "\r\n", "\0", "\u0001", "\u001b", "\u007f", "é", "ü", "\u00A0", "\u202E", "\U0001F600", "ｂ",
        "&", "#", "%", "%26", "?", "=", ",", ";", ":", "\"", "'", "\\", "<", ">", "[", "]", "{", "}", "|", "`", "^", "@", "!", "$", "(", ")", "*",
    ];

    private static readonly string[] ScopeNames = ["user_info", "scheduler", "start_meeting", "provisioning", "admin", "USER_INFO", "user_info2"];

    private readonly Random _random = new(seed);
    private readonly List<RandomCase> _asked = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9._~+/-]+=*$")]
    private static partial Regex B64Token();

    public RandomCase Next()
    {
        // Sometimes the same token again: what was cached must answer alike without a call, what was unavailable must ask again.
        if (_asked.Count > 0 && Chance(0.1))
        {
            var earlier = _asked[_random.Next(_asked.Count)];
            var calls = earlier.Expected.Cacheable ? 0 : earlier.Expected.Calls;
            return earlier with { Expected = earlier.Expected with { Calls = calls }, Description = "again: " + earlier.Description };
        }

        var roll = _random.NextDouble();
        if (roll < 0.04)
        {
            return new([], null, null, "/api/me", Expectation.NoToken, "no header");
        }

        if (roll < 0.08)
        {
            string[] schemes = ["Basic dXNlcjpwYXNz", "Digest x", "Negotiate abc", "BearerX abc", "Bearer\tabc", "Token abc", ""];
            return new([Pick(schemes)], null, null, "/api/me", Expectation.NoToken, "another scheme");
        }

        if (roll < 0.11)
        {
            return new(["Bearer " + WellFormedToken(), "Bearer " + WellFormedToken()], null, null, "/api/me", Expectation.InvalidRequest, "two headers");
        }

        string header, token;
        do
        {
            var credentials = Chance(0.7) ? WellFormedToken() : HostileToken();
            header = Pick(["Bearer", "bearer", "BEARER", "BeArEr"]) + new string(' ', Chance(0.85) ? 1 : _random.Next(2, 4)) + credentials;

            // RFC 6750 §2.1, read independently: after the scheme and its spaces, one b64token, at most MaxTokenLength long.
            token = credentials.TrimStart(' ');
            if (token.Length == 0 || token.Length > RequestCase.MaxTokenLength || !B64Token().IsMatch(token))
            {
                return new([header], null, null, "/api/me", Expectation.Malformed, "malformed token");
            }
        }
        while (!_seen.Add(token)); // A short token can come up twice: a new case needs a token the cache has never seen.

        var path = Chance(0.3) ? "/api/user" : "/api/me";
        var (answer, expected, description) = Answer(path);
        var generated = new RandomCase([header], token, answer, path, expected, description);
        _asked.Add(generated);
        return generated;
    }

    private (Reply Answer, Expectation Expected, string Description) Answer(string path)
    {
        var roll = _random.NextDouble();
        if (roll < 0.55)
        {
            return Body(path);
        }

        if (roll < 0.58)
        {
            return (Reply.Refused, Expectation.Transient, "connection refused");
        }

        var status = Pick([400, 401, 403, 404, 429, 500, 502, 503, 504, 301, 302, 307, 201, 204, 405, 410, 418]);
        return status switch
        {
            403 when Chance(0.5) => Pick([
                (Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_QPS")), Expectation.RateLimited, "403 over QPS"),
                (Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_RATE")), Expectation.RateLimited, "403 over rate"),
                (Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_SERVICE_OVER_QPS")), Expectation.RateLimited, "403 service over QPS"),
                (Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED")), Expectation.Invalid, "403 not authorized"),
            ]),
            400 or 401 or 403 or 404 => (Reply.Status(status), Expectation.Invalid, $"{status}"),
            429 => (Reply.Status(status), Expectation.RateLimited, "429"),
            _ => (Reply.Status(status, ("Location", "https://attacker.example/")), Expectation.Transient, $"{status}"),
        };
    }

    private (Reply Answer, Expectation Expected, string Description) Body(string path)
    {
        var roll = _random.NextDouble();
        if (roll < 0.06)
        {
            var garbage = Pick([
                "<html>join.me</html>", "[]", "null", "\"demo-client\"", "", "{", "{\"client_id\":\"demo-client\"", "{\"client_id\":\"demo-client\"}}",
                Encoding.Latin1.GetString(RandomBytes(_random.Next(1, 64))),
            ]);
            return (Reply.Json(garbage), Expectation.Unreadable, "garbage body");
        }

        var fields = new List<(string Name, string Value)>();
        var unreadable = false;
        var description = new StringBuilder("200");

        // client_id
        var clientOk = false;
        switch (_random.Next(10))
        {
            case < 6:
                fields.Add(("client_id", Chance(0.1) ? "\"\\u0064emo-client\"" : "\"demo-client\""));
                clientOk = true;
                break;
            case 6:
                fields.Add(("client_id", Pick(["\"other-client\"", "\"Demo-Client\"", "\"demo-client \"", "\"\"", "null", $"\"{WellFormedToken()}\""])));
                break;
            case 7:
                break;
            default:
                fields.Add(("client_id", Pick(["42", "true", "{\"id\":\"demo-client\"}", "[\"demo-client\"]"])));
                unreadable = true;
                break;
        }

        // scope
        var scopes = new List<string>();
        switch (_random.Next(10))
        {
            case < 5:
                scopes.AddRange(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Pick(ScopeNames)));
                fields.Add(("scope", $"\"{string.Join(' ', scopes)}\""));
                break;
            case < 7:
                scopes.AddRange(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Pick(ScopeNames)));
                fields.Add(("scope", "[" + string.Join(',', scopes.Select(s => $"\"{s}\"")) + "]"));
                break;
            case 7:
                if (Chance(0.5))
                {
                    fields.Add(("scope", "null"));
                }

                break;
            default:
                fields.Add(("scope", Pick(["{\"user_info\":true}", "7", "true", "[\"user_info\",1]", "[[\"user_info\"]]"])));
                unreadable = true;
                break;
        }

        // expiry
        DateTimeOffset? expiresAt = null;
        switch (_random.Next(12))
        {
            case < 5:
                expiresAt = now.AddSeconds(_random.Next(120, 3650 * 86400));
                fields.Add(("expires_at", Timestamp(expiresAt.Value)));
                break;
            case < 7:
                expiresAt = now.AddSeconds(-_random.Next(-20, 3650 * 86400));
                fields.Add(("expires_at", Timestamp(expiresAt.Value)));
                break;
            case 7:
                var seconds = Chance(0.7) ? _random.Next(120, 10 * 86400) : _random.Next(0, 21);
                expiresAt = now.AddSeconds(seconds);
                fields.Add(("expires_in", Chance(0.5) ? seconds.ToString(CultureInfo.InvariantCulture) : $"\"{seconds}\""));
                break;
            case 8:
                if (Chance(0.5))
                {
                    fields.Add(("expires_at", "null"));
                }

                break;
            case 9:
                fields.Add(("expires_at", Pick(["\"tomorrow\"", "\"03/01/2030\"", "\"\"", "\"NaN\"", "1e300", "-1e300", "true", "{}", "\"10000-01-01T00:00:00Z\""])));
                unreadable = true;
                break;
            default:
                fields.Add(("expires_in", Pick(["-60", "1e12", "\"soon\"", "true", "[]"])));
                unreadable = true;
                break;
        }

        // Unknown fields are skipped, whatever they hold (within the reader's depth limit).
        for (var extra = _random.Next(0, 3); extra > 0; extra--)
        {
            fields.Add((Pick(["Message", "ErrorCode", "user", "x", "_links"]), Pick(["1", "\"s\"", "null", "[1,[2,{\"a\":3}]]", "{\"a\":{\"b\":[true]}}"])));
        }

        if (Chance(0.02))
        {
            fields.Add(("deep", new string('[', 40) + new string(']', 40)));
            unreadable = true;
        }

        // The same known field twice means two readers could disagree: nothing is read from such an answer.
        var known = fields.Where(f => f.Name is "client_id" or "scope" or "expires_at" or "expires_in").ToList();
        if (known.Count > 0 && Chance(0.04))
        {
            fields.Add(Pick(known.ToArray()));
            unreadable = true;
        }

        var shuffled = fields.OrderBy(_ => _random.Next()).Select(f => (Name: RandomCase(f.Name), f.Value)).ToList();
        var json = "{" + string.Join(",", shuffled.Select(f => $"{Space()}\"{f.Name}\"{Space()}:{Space()}{f.Value}{Space()}")) + "}";
        var oversized = Chance(0.02);
        if (oversized)
        {
            json = json[..^1] + (fields.Count > 0 ? "," : string.Empty) + $"\"pad\":\"{new string('x', 17 * 1024)}\"}}";
        }

        description.Append(unreadable ? " unreadable" : clientOk ? " allowed" : " other client").Append(oversized ? " oversized" : string.Empty);
        Expectation expected;
        if (unreadable || oversized)
        {
            expected = Expectation.Unreadable;
        }
        else if (!clientOk)
        {
            expected = Expectation.Invalid;
        }
        else if (expiresAt is { } at && at - TimeSpan.FromSeconds(30) <= now)
        {
            expected = Expectation.Expired;
        }
        else if (path == "/api/user" && !scopes.Contains("user_info", StringComparer.Ordinal))
        {
            expected = new Expectation(403, Challenges.InsufficientScope("user_info"), 1);
        }
        else
        {
            expected = Expectation.Valid;
        }

        var answer = oversized && Chance(0.5) ? Reply.Unbounded(json) : Reply.Json(json);
        return (answer, expected, description.ToString());
    }

    /// <summary>An expiry in one of the forms the contract allows: ISO 8601 with Z, an offset or none; Unix seconds or milliseconds.</summary>
    private string Timestamp(DateTimeOffset value) => (_random.Next(9) switch
    {
        0 => $"\"{value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"",
        1 => $"\"{value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}\"",
        2 => $"\"{value.ToOffset(TimeSpan.FromMinutes(330)):yyyy-MM-dd'T'HH:mm:sszzz}\"",
        3 => $"\"{value.ToOffset(TimeSpan.FromHours(-7)):yyyy-MM-dd'T'HH:mm:ss.fffzzz}\"",
        4 => value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        5 => value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        6 => $"\"{value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\"",
        7 => $"\"{value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}\"",
        _ => value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".25",
    }).Replace("+00:00", "Z", StringComparison.Ordinal);

    private string WellFormedToken()
    {
        var length = Chance(0.03) ? _random.Next(RequestCase.MaxTokenLength - 10, RequestCase.MaxTokenLength + 10) : _random.Next(1, 48);
        var token = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            token.Append(B64[_random.Next(B64.Length)]);
        }

        return token.Append('=', Chance(0.2) ? _random.Next(1, 3) : 0).ToString();
    }

    private string HostileToken()
    {
        var token = new StringBuilder();
        for (var length = _random.Next(0, 40); length > 0; length--)
        {
            token.Append(Chance(0.6) ? B64[_random.Next(B64.Length)].ToString() : Pick(Hostile));
        }

        return token.ToString();
    }

    private string RandomCase(string name) => _random.Next(6) switch
    {
        0 => name.ToUpperInvariant(),
        1 => string.Concat(name.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)),
        _ => name,
    };

    private string Space() => Chance(0.2) ? Pick([" ", "\n", "\t", "\r\n  "]) : string.Empty;

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
