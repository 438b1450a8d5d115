using System.Globalization;
using System.Text;
using JoinMe.AspNetCore.Resilience.Tests.Infrastructure;
using JoinMe.AspNetCore.Emulator;

namespace JoinMe.AspNetCore.Resilience.Tests.HostileInput;

/// <summary>
/// One hostile or broken tokenInfo answer, for a well-formed token. Scripted cases use <see cref="ScriptedTokenInfo"/>; fault cases
/// use the emulator's fault modes with a token the emulator issued, so that the same token is valid once the fault is gone.
/// </summary>
/// <param name="Name">What tokenInfo does, as it reads in the test list.</param>
/// <param name="Script">The scripted answer, from the current fake time; <see langword="null"/> for an emulator fault.</param>
/// <param name="Fault">The emulator's fault mode, for fault cases.</param>
/// <param name="Status">The expected status code.</param>
/// <param name="Challenge">The expected WWW-Authenticate value, exactly; <see langword="null"/> for none (every 503).</param>
/// <param name="Calls">The tokenInfo attempts expected: 2 where the one retry of a transient failure applies.</param>
/// <param name="Cached">Whether a second request with the same token is answered without tokenInfo (rejected or valid results are
/// cached briefly; unavailable ones never are); <see langword="null"/> where fake time moved and the check would say nothing.</param>
/// <param name="Path">The sample endpoint asked for.</param>
/// <param name="Slow">Whether the answer never ends by itself: the test moves the fake clock through both attempt timeouts.</param>
public sealed record TokenInfoCase(
    string Name,
    Func<TokenInfoCaseContext, Reply>? Script,
    JoinMeEmulatorFaultMode Fault = JoinMeEmulatorFaultMode.None,
    int Status = 503,
    string? Challenge = Challenges.Unavailable,
    int Calls = 1,
    bool? Cached = false,
    string Path = "/api/me",
    bool Slow = false)
{
    private const string Allowed = "\"demo-client\"";
    private const string Scopes = "\"user_info scheduler start_meeting\"";

    public static readonly IReadOnlyList<TokenInfoCase> All =
    [
        // Bodies that are not one readable tokenInfo object: unavailable, never guessed at.
        new("an HTML page with 200", _ => Reply.Bytes("<html><body>join.me</body></html>"u8.ToArray(), contentType: "text/html")),
        new("truncated JSON", c => Reply.Json(c.Valid()[..40])),
        new("a JSON array holding a valid answer", c => Reply.Json($"[{c.Valid()}]")),
        new("JSON null", _ => Reply.Json("null")),
        new("a JSON string", _ => Reply.Json(Allowed)),
        new("an empty body", _ => Reply.Json(string.Empty)),
        new("a whitespace body", _ => Reply.Json("  \r\n ")),
        new("a valid answer followed by garbage", c => Reply.Json(c.Valid() + " trailing")),
        new("two valid answers in a row", c => Reply.Json(c.Valid() + c.Valid())),
        new("JSON nested 100 deep", c => Reply.Json(Obj(("client_id", Allowed), ("scope", Scopes), ("expires_at", c.Iso(c.Now.AddHours(1))),
            ("x", new string('[', 100) + new string(']', 100))))),
        new("invalid UTF-8", _ => Reply.Bytes([.. "{\"client_id\":\"demo-"u8, 0xC3, 0x28, .. "client\"}"u8])),
        new("a body over the size cap", c => Reply.Json(Obj(("client_id", Allowed), ("pad", $"\"{new string('x', 17 * 1024)}\""),
            ("expires_at", c.Iso(c.Now.AddHours(1)))))),
        new("a body over the size cap without Content-Length", c => Reply.Unbounded(Obj(("client_id", Allowed),
            ("pad", $"\"{new string('x', 17 * 1024)}\""), ("expires_at", c.Iso(c.Now.AddHours(1)))))),
        new("a body that trickles in one byte every 3 s", c => Reply.Trickle(c.Valid(), TimeSpan.FromSeconds(3), c.Time), Calls: 2, Cached: null, Slow: true),

        // client_id: the confused deputy, and wrong types.
        new("client_id of another client", c => Reply.Json(c.Valid(clientId: "\"other-client\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id in another case", c => Reply.Json(c.Valid(clientId: "\"Demo-Client\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id with a trailing space", c => Reply.Json(c.Valid(clientId: "\"demo-client \"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id with a NUL after it", c => Reply.Json(c.Valid(clientId: "\"demo-client\\u0000\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id missing", c => Reply.Json(c.Valid(clientId: null)), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id null", c => Reply.Json(c.Valid(clientId: "null")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id empty", c => Reply.Json(c.Valid(clientId: "\"\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id a number", c => Reply.Json(c.Valid(clientId: "42"))),
        new("client_id true", c => Reply.Json(c.Valid(clientId: "true"))),
        new("client_id an object", c => Reply.Json(c.Valid(clientId: "{\"id\":\"demo-client\"}"))),
        new("client_id an array", c => Reply.Json(c.Valid(clientId: "[\"demo-client\"]"))),
        new("client_id twice, the allowed one last", c => Reply.Json(Obj(("client_id", "\"other-client\""), ("client_id", Allowed),
            ("expires_at", c.Iso(c.Now.AddHours(1)))))),
        new("client_id twice in different cases", c => Reply.Json(Obj(("client_id", "\"other-client\""), ("CLIENT_ID", Allowed),
            ("expires_at", c.Iso(c.Now.AddHours(1)))))),

        // scope: wrong types are unreadable; no scope, or unknown ones, authenticate but are refused by the scope requirements.
        new("scope an object", c => Reply.Json(c.Valid(scope: "{\"user_info\":true}"))),
        new("scope a number", c => Reply.Json(c.Valid(scope: "7"))),
        new("scope true", c => Reply.Json(c.Valid(scope: "true"))),
        new("scope an array holding a number", c => Reply.Json(c.Valid(scope: "[\"user_info\",1]"))),
        new("scope an array holding an array", c => Reply.Json(c.Valid(scope: "[[\"user_info\"]]"))),
        new("an empty scope", c => Reply.Json(c.Valid(scope: "\"\"")), Status: 403, Challenge: Challenges.InsufficientScope("user_info"),
            Cached: true, Path: "/api/user"),
        new("a null scope", c => Reply.Json(c.Valid(scope: "null")), Status: 403, Challenge: Challenges.InsufficientScope("scheduler"),
            Cached: true, Path: "/api/meetings"),
        new("only unknown scopes", c => Reply.Json(c.Valid(scope: "\"admin offline_access\"")), Status: 403,
            Challenge: Challenges.InsufficientScope("user_info"), Cached: true, Path: "/api/user"),
        new("a scope in another case", c => Reply.Json(c.Valid(scope: "\"USER_INFO\"")), Status: 403,
            Challenge: Challenges.InsufficientScope("user_info"), Cached: true, Path: "/api/user"),

        // expires_at and expires_in: the past is expired; what cannot be read with certainty is unavailable.
        new("expires_at in the past", c => Reply.Json(c.Valid(expiresAt: c.Iso(c.Now.AddMinutes(-5)))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at within the clock skew", c => Reply.Json(c.Valid(expiresAt: c.Iso(c.Now.AddSeconds(10)))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at negative", c => Reply.Json(c.Valid(expiresAt: "-1")), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at zero", c => Reply.Json(c.Valid(expiresAt: "0")), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at in Unix milliseconds in the past", c => Reply.Json(c.Valid(expiresAt: c.Now.AddDays(-1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))),
            Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at in the past with a live expires_in", c => Reply.Json(Obj(("client_id", Allowed), ("expires_at", c.Iso(c.Now.AddDays(-1))),
            ("expires_in", "86400"))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_in zero", _ => Reply.Json(Obj(("client_id", Allowed), ("expires_in", "0"))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at an absurd number", c => Reply.Json(c.Valid(expiresAt: "1e300"))),
        new("expires_at an absurd negative number", c => Reply.Json(c.Valid(expiresAt: "-1e300"))),
        new("expires_at past the year 9999", c => Reply.Json(c.Valid(expiresAt: "\"10000-01-01T00:00:00Z\""))),
        new("expires_at unparseable", c => Reply.Json(c.Valid(expiresAt: "\"tomorrow\""))),
        new("expires_at a culture-dependent date", c => Reply.Json(c.Valid(expiresAt: "\"03/01/2030\""))),
        new("expires_at empty", c => Reply.Json(c.Valid(expiresAt: "\"\""))),
        new("expires_at NaN", c => Reply.Json(c.Valid(expiresAt: "\"NaN\""))),
        new("expires_at Infinity", c => Reply.Json(c.Valid(expiresAt: "\"Infinity\""))),
        new("expires_at true", c => Reply.Json(c.Valid(expiresAt: "true"))),
        new("expires_at an object", c => Reply.Json(c.Valid(expiresAt: "{\"at\":\"2030-01-01T00:00:00Z\"}"))),
        new("expires_at twice", c => Reply.Json(Obj(("client_id", Allowed), ("expires_at", c.Iso(c.Now.AddDays(-1))), ("expires_at", c.Iso(c.Now.AddDays(1)))))),
        new("expires_in negative", _ => Reply.Json(Obj(("client_id", Allowed), ("expires_in", "-60")))),
        new("expires_in absurd", _ => Reply.Json(Obj(("client_id", Allowed), ("expires_in", "1e12")))),

        // Statuses.
        new("a 302 to another host", _ => Reply.Status(302, ("Location", "https://attacker.example/collect")), Calls: 2),
        new("a 308 to another host", _ => Reply.Status(308, ("Location", "https://attacker.example/collect")), Calls: 2),
        new("a 204 No Content", _ => Reply.Status(204), Calls: 2),
        new("a 201 with a valid body", c => Reply.Json(c.Valid(), status: 201), Calls: 2),
        new("a 400", _ => Reply.Status(400), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 401", _ => Reply.Status(401), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 401 from the gateway", _ => Reply.Status(401, ("WWW-Authenticate", "Bearer realm=\"api.join.me\", error=\"invalid_token\"")),
            Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 403 without a rate-limit code", _ => Reply.Status(403), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 403 with ERR_403_NOT_AUTHORIZED", _ => Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED")),
            Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 404", _ => Reply.Status(404), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 429", _ => Reply.Status(429)),
        new("a 429 asking to retry in an hour", _ => Reply.Status(429, ("Retry-After", "3600"))),
        new("a 403 with ERR_403_DEVELOPER_OVER_QPS", _ => Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_QPS"))),
        new("a 403 with ERR_403_DEVELOPER_OVER_RATE", _ => Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_RATE"))),
        new("a 403 with ERR_403_SERVICE_OVER_QPS", _ => Reply.Status(403, ("X-Mashery-Error-Code", "ERR_403_SERVICE_OVER_QPS"))),
        new("a 500", _ => Reply.Status(500), Calls: 2),
        new("a 502", _ => Reply.Status(502), Calls: 2),
        new("a 503", _ => Reply.Status(503), Calls: 2),
        new("a 504", _ => Reply.Status(504), Calls: 2),
        new("a refused connection", _ => Reply.Refused, Calls: 2),
        new("no answer at all", c => Reply.Hang(c.Time), Calls: 2, Cached: null, Slow: true),

        // The emulator's fault modes, with a token it issued: unavailable while the fault lasts, valid once it is gone.
        new("the emulator down", null, JoinMeEmulatorFaultMode.Down, Calls: 2),
        new("the emulator answering 500", null, JoinMeEmulatorFaultMode.Error, Calls: 2),
        new("the emulator answering garbage", null, JoinMeEmulatorFaultMode.Garbage),
        new("the emulator rate-limited", null, JoinMeEmulatorFaultMode.RateLimited),
        new("the emulator slower than the timeout", null, JoinMeEmulatorFaultMode.Slow, Calls: 2, Cached: null, Slow: true),
    ];

    public static readonly IReadOnlyDictionary<string, TokenInfoCase> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> ScriptedNames => [.. All.Where(c => c.Script is not null).Select(c => c.Name)];

    public static TheoryData<string> FaultNames => [.. All.Where(c => c.Script is null).Select(c => c.Name)];

    /// <summary>Sends the case's request, then (unless fake time moved) the same token again, and reports both.</summary>
    internal async Task<TokenInfoCaseRun> RunAsync(SampleHost host)
    {
        string token;
        if (Script is not null)
        {
            token = Tokens.New();
            host.Scripted.Script(token, Script(new TokenInfoCaseContext(host.Time)));
        }
        else
        {
            token = host.Mint();
            host.Emulator.SetFault(Fault, Fault == JoinMeEmulatorFaultMode.Slow ? TimeSpan.FromMinutes(1) : TimeSpan.Zero);
        }

        try
        {
            var started = host.Time.GetUtcNow();
            var request = host.GetAsync(token, Path);
            if (Slow)
            {
                await Wait.ThroughBothAttemptsAsync(host.Time, host.Options.Resilience.AttemptTimeout, () => host.Edge.CallsFor(token));
            }

            using var first = await Wait.ForAsync(request, Name);
            var run = new TokenInfoCaseRun(
                Token: token,
                Status: (int)first.StatusCode,
                Challenge: first.WwwAuthenticate(),
                RetryAfter: first.RetryAfter(),
                Calls: host.Edge.CallsFor(token),
                FakeTimeTaken: host.Time.GetUtcNow() - started);
            if (Cached is null)
            {
                return run;
            }

            host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
            using var again = await host.GetAsync(token, Path);
            return run with { Again = ((int)again.StatusCode, again.WwwAuthenticate(), host.Edge.CallsFor(token) - run.Calls) };
        }
        finally
        {
            host.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
        }
    }

    /// <summary>A JSON object with the fields in the order given, each value raw JSON (so that wrong types and duplicates can be written).</summary>
    public static string Obj(params (string Name, string RawValue)[] fields)
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in fields)
        {
            json.Append(json.Length > 1 ? "," : string.Empty).Append('"').Append(name).Append("\":").Append(value);
        }

        return json.Append('}').ToString();
    }

    public override string ToString() => Name;
}

/// <summary>What a scripted answer may depend on: the fake clock.</summary>
public sealed record TokenInfoCaseContext(Microsoft.Extensions.Time.Testing.FakeTimeProvider Time)
{
    public DateTimeOffset Now => Time.GetUtcNow();

    public string Iso(DateTimeOffset value) => '"' + value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + '"';

    /// <summary>A valid answer, with any field replaced by raw JSON, or left out when <see langword="null"/>.</summary>
    public string Valid(string? clientId = "\"demo-client\"", string? scope = "\"user_info scheduler start_meeting\"", string? expiresAt = "")
    {
        var fields = new List<(string, string)>();
        if (clientId is not null)
        {
            fields.Add(("client_id", clientId));
        }

        if (scope is not null)
        {
            fields.Add(("scope", scope));
        }

        fields.Add(("expires_at", expiresAt is "" ? Iso(Now.AddHours(1)) : expiresAt ?? "null"));
        return TokenInfoCase.Obj([.. fields]);
    }
}

internal sealed record TokenInfoCaseRun(string Token, int Status, string? Challenge, string? RetryAfter, int Calls, TimeSpan FakeTimeTaken)
{
    /// <summary>The second request with the same token: status, challenge, and how many more tokenInfo calls it made.</summary>
    public (int Status, string? Challenge, int Calls)? Again { get; init; }
}
