using System.Text.RegularExpressions;

namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>What the contract says a request must get, worked out from how it was generated, never by running the handler's code.</summary>
public sealed record Expectation(int Status, string? Challenge, int Calls)
{
    public static readonly Expectation NoToken = new(401, Challenges.NoToken, 0);
    public static readonly Expectation Malformed = new(401, Challenges.Malformed, 0);
    public static readonly Expectation InvalidRequest = new(400, Challenges.InvalidRequest, 0);
    public static readonly Expectation Invalid = new(401, Challenges.Invalid, 1);
    public static readonly Expectation Expired = new(401, Challenges.Expired, 1);

    /// <summary>An answer that says nothing about the token (unreadable, rate-limited, an odd status): 503, and no retry.</summary>
    public static readonly Expectation Unavailable = new(503, Challenges.Unavailable, 1);

    /// <summary>A server error or no connection: 503 after the one retry.</summary>
    public static readonly Expectation Transient = new(503, Challenges.Unavailable, 2);

    public static readonly Expectation Valid = new(200, null, 1);

    /// <summary>Whether join.me's verdict is cached, so that the same token again makes no call; an unavailable result is remembered for a second only.</summary>
    public bool Cacheable => Calls > 0 && Status != 503;
}

/// <summary>
/// One generated request: its Authorization headers, the tokenInfo answer scripted for its token, how long the fake clock moves before it is
/// sent, and what it must get.
/// </summary>
public sealed record RandomCase(string[] Authorization, string? Token, TokenInfoReply? Answer, string Path, Expectation Expected, string Description)
{
    public TimeSpan Wait { get; init; }

    /// <summary>For a token sent before: <c>cached</c>, <c>remembered</c> (unavailable, within the second) or <c>asked again</c>.</summary>
    public string? Repeat { get; init; }
}

/// <summary>
/// Generates random requests and tokenInfo answers from a seeded <see cref="Random"/>. Each answer is built from facts chosen first
/// (whose client, which expiry, which types), and the expectation follows from those facts and docs/join.me.md alone. The fake clock is
/// read when a case is made; the test moves it by each case's <see cref="RandomCase.Wait"/> before sending it.
/// </summary>
public sealed partial class RandomCases(int seed, TimeProvider time)
{
    private const string B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";

    // Tokens come back only among the last few cases, so that what a repeat expects never depends on how long (in real time) the run takes:
    // the memory tier drops entries on the system clock (an unavailable result after 10 s, a rejection after 30 s).
    private const int RepeatWindow = 3;

    private static readonly TimeSpan UnavailableMemory = TimeSpan.FromSeconds(1);

    private static readonly string[] Hostile =
    [
        " ", "\t", "\r", "\n", "\r\n", "\0", "\u0001", "\u001b", "\u007f", "é", "ü", "\u00A0", "\u202E", "\U0001F600", "ｂ",
        "&", "#", "%", "%26", "?", "=", ",", ";", ":", "\"", "'", "\\", "<", ">", "[", "]", "{", "}", "|", "`", "^", "@", "!", "$", "(", ")", "*",
    ];

    private static readonly string[] ScopeNames = ["user_info", "scheduler", "start_meeting", "provisioning", "admin", "USER_INFO", "user_info2"];

    private readonly Random _random = new(seed);
    private readonly List<(RandomCase Case, DateTimeOffset AskedAt)> _asked = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9._~+/-]+=*$")]
    private static partial Regex B64Token();

    public RandomCase Next()
    {
        var now = time.GetUtcNow();

        // Sometimes a recent token again: a cached verdict answers alike without a call; an unavailable result is remembered for a second of
        // the app's clock, so the same 503 comes back without a call at once, and tokenInfo is asked again once the clock has moved a second.
        if (_asked.Count > 0 && Chance(0.1))
        {
            var index = _asked.Count - 1 - _random.Next(Math.Min(RepeatWindow, _asked.Count));
            var (earlier, askedAt) = _asked[index];
            var wait = !earlier.Expected.Cacheable && Chance(0.5) ? UnavailableMemory : TimeSpan.Zero;
            var asksAgain = !earlier.Expected.Cacheable && now + wait - askedAt >= UnavailableMemory;
            if (asksAgain)
            {
                _asked[index] = (earlier, now + wait);
            }

            var repeat = earlier.Expected.Cacheable ? "cached" : asksAgain ? "asked again" : "remembered";
            return earlier with
            {
                Expected = earlier.Expected with { Calls = asksAgain ? earlier.Expected.Calls : 0 },
                Description = $"{repeat}{(wait > TimeSpan.Zero ? " a second later" : string.Empty)}: {earlier.Description}",
                Wait = wait,
                Repeat = repeat,
            };
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
        var (answer, expected, description, repeatable) = Answer(path, now);
        var generated = new RandomCase([header], token, answer, path, expected, description);
        if (repeatable)
        {
            _asked.Add((generated, now));
        }

        return generated;
    }

    private (TokenInfoReply Answer, Expectation Expected, string Description, bool Repeatable) Answer(string path, DateTimeOffset now)
    {
        var roll = _random.NextDouble();
        if (roll < 0.55)
        {
            return Body(path, now);
        }

        if (roll < 0.58)
        {
            return (TokenInfoReply.Refused, Expectation.Transient, "connection refused", true);
        }

        var status = Pick([400, 401, 403, 404, 429, 500, 502, 503, 504, 301, 302, 307, 201, 204, 405, 410, 418]);
        var (answer, expected, description) = status switch
        {
            403 when Chance(0.5) => Pick([
                (TokenInfoCase.StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_QPS")), Expectation.Unavailable, "403 over QPS"),
                (TokenInfoCase.StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_RATE")), Expectation.Unavailable, "403 over rate"),
                (TokenInfoCase.StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_SERVICE_OVER_QPS")), Expectation.Unavailable, "403 service over QPS"),
                (TokenInfoCase.StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED")), Expectation.Invalid, "403 not authorized"),
            ]),
            400 or 401 or 403 or 404 => (TokenInfoCase.StatusReply(status), Expectation.Invalid, $"{status}"),
            429 => (TokenInfoCase.StatusReply(status), Expectation.Unavailable, "429"),
            >= 500 => (TokenInfoCase.StatusReply(status, ("Location", "https://attacker.example/")), Expectation.Transient, $"{status}"),
            _ => (TokenInfoCase.StatusReply(status, ("Location", "https://attacker.example/")), Expectation.Unavailable, $"{status}"),
        };
        return (answer, expected, description, true);
    }

    private (TokenInfoReply Answer, Expectation Expected, string Description, bool Repeatable) Body(string path, DateTimeOffset now)
    {
        var roll = _random.NextDouble();
        if (roll < 0.06)
        {
            var garbage = Pick([
                "<html>join.me</html>", "[]", "null", "\"demo-client\"", "", "{", "{\"client_id\":\"demo-client\"", "{\"client_id\":\"demo-client\"}}",
                Encoding.Latin1.GetString(RandomBytes(_random.Next(1, 64))),
            ]);
            return (TokenInfoReply.Json(garbage), Expectation.Unavailable, "garbage body", true);
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
            expected = Expectation.Unavailable;
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

        // What join.me said is kept in memory until the token expires (on the system clock): a token that expires within a minute cannot be
        // counted on to be there when it comes back.
        var answer = oversized && Chance(0.5) ? TokenInfoReply.Unbounded(json) : TokenInfoReply.Json(json);
        var expiresSoon = !unreadable && !oversized && expiresAt is { } end && end > now && end - now < TimeSpan.FromMinutes(1);
        return (answer, expected, description.ToString(), !expiresSoon);
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
