namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>
/// One hostile or broken tokenInfo answer, for a well-formed token. Scripted cases script the edge for a fresh token; fault cases use the
/// emulator's fault modes with a token it issued (the API must be <see cref="TestApi.UsingEmulator"/>), so that the same token is valid once
/// the fault is gone.
/// </summary>
/// <param name="Name">What tokenInfo does, as it reads in the test list.</param>
/// <param name="Script">The scripted answer, from the current fake time; <see langword="null"/> for an emulator fault.</param>
/// <param name="Fault">The emulator's fault mode, for fault cases.</param>
/// <param name="Status">The expected status code.</param>
/// <param name="Challenge">The expected WWW-Authenticate value, exactly; <see langword="null"/> for none (every 503).</param>
/// <param name="Calls">The tokenInfo attempts expected: 2 where the one retry of a transient failure applies.</param>
/// <param name="Cached">Whether join.me's verdict is cached, so that the same token again is answered alike without tokenInfo. When it is
/// not (the token could not be judged), the outcome is remembered for one second of the app's clock, then tokenInfo is asked again.</param>
/// <param name="Path">The sample endpoint asked for.</param>
/// <param name="ClockSteps">For an answer that never ends by itself: after the i-th attempt has arrived, the test moves the fake clock by the
/// i-th step; the request must be answered after the last. <see langword="null"/> for an answer that comes by itself.</param>
public sealed record TokenInfoCase(
    string Name,
    Func<TokenInfoCaseContext, TokenInfoReply>? Script,
    JoinMeEmulatorFaultMode Fault = JoinMeEmulatorFaultMode.None,
    int Status = 503,
    string? Challenge = Challenges.Unavailable,
    int Calls = 1,
    bool Cached = false,
    string Path = "/api/me",
    TimeSpan[]? ClockSteps = null)
{
    private const string Allowed = "\"demo-client\"";
    private const string Scopes = "\"user_info scheduler start_meeting\"";

    /// <summary>The default attempt timeout of the tokenInfo client's resilience handler, and the default TokenInfoTimeout, which bounds a call.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TokenInfoTimeout = TimeSpan.FromSeconds(5);

    public static readonly IReadOnlyList<TokenInfoCase> All =
    [
        // Bodies that are not one readable tokenInfo object: unavailable, never guessed at.
        new("an HTML page with 200", _ => TokenInfoReply.Bytes("<html><body>join.me</body></html>"u8.ToArray(), "text/html")),
        new("truncated JSON", c => TokenInfoReply.Json(c.Valid()[..40])),
        new("a JSON array holding a valid answer", c => TokenInfoReply.Json($"[{c.Valid()}]")),
        new("JSON null", _ => TokenInfoReply.Json("null")),
        new("a JSON string", _ => TokenInfoReply.Json(Allowed)),
        new("an empty body", _ => TokenInfoReply.Json(string.Empty)),
        new("a whitespace body", _ => TokenInfoReply.Json("  \r\n ")),
        new("a valid answer followed by garbage", c => TokenInfoReply.Json(c.Valid() + " trailing")),
        new("two valid answers in a row", c => TokenInfoReply.Json(c.Valid() + c.Valid())),
        new("JSON nested 100 deep", c => TokenInfoReply.Json(Obj(("client_id", Allowed), ("scope", Scopes), ("expires_at", Iso(c.Now.AddHours(1))),
            ("x", new string('[', 100) + new string(']', 100))))),
        new("invalid UTF-8", _ => TokenInfoReply.Bytes([.. "{\"client_id\":\"demo-"u8, 0xC3, 0x28, .. "client\"}"u8])),
        new("a body over the size cap", c => TokenInfoReply.Json(Obj(("client_id", Allowed), ("pad", $"\"{new string('x', 17 * 1024)}\""),
            ("expires_at", Iso(c.Now.AddHours(1)))))),
        new("a body over the size cap without Content-Length", c => TokenInfoReply.Unbounded(Obj(("client_id", Allowed),
            ("pad", $"\"{new string('x', 17 * 1024)}\""), ("expires_at", Iso(c.Now.AddHours(1)))))),
        new("a body that trickles in one byte every 3 s", c => TokenInfoReply.Trickle(c.Valid(), TimeSpan.FromSeconds(3)), ClockSteps: [TokenInfoTimeout]),

        // client_id: the confused deputy, and wrong types.
        new("client_id of another client", c => TokenInfoReply.Json(c.Valid(clientId: "\"other-client\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id in another case", c => TokenInfoReply.Json(c.Valid(clientId: "\"Demo-Client\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id with a trailing space", c => TokenInfoReply.Json(c.Valid(clientId: "\"demo-client \"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id with a NUL after it", c => TokenInfoReply.Json(c.Valid(clientId: "\"demo-client\\u0000\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id missing", c => TokenInfoReply.Json(c.Valid(clientId: null)), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id null", c => TokenInfoReply.Json(c.Valid(clientId: "null")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id empty", c => TokenInfoReply.Json(c.Valid(clientId: "\"\"")), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("client_id a number", c => TokenInfoReply.Json(c.Valid(clientId: "42"))),
        new("client_id true", c => TokenInfoReply.Json(c.Valid(clientId: "true"))),
        new("client_id an object", c => TokenInfoReply.Json(c.Valid(clientId: "{\"id\":\"demo-client\"}"))),
        new("client_id an array", c => TokenInfoReply.Json(c.Valid(clientId: "[\"demo-client\"]"))),
        new("client_id twice, the allowed one last", c => TokenInfoReply.Json(Obj(("client_id", "\"other-client\""), ("client_id", Allowed),
            ("expires_at", Iso(c.Now.AddHours(1)))))),
        new("client_id twice in different cases", c => TokenInfoReply.Json(Obj(("client_id", "\"other-client\""), ("CLIENT_ID", Allowed),
            ("expires_at", Iso(c.Now.AddHours(1)))))),

        // scope: wrong types are unreadable; no scope, or unknown ones, authenticate but are refused by the scope requirements.
        new("scope an object", c => TokenInfoReply.Json(c.Valid(scope: "{\"user_info\":true}"))),
        new("scope a number", c => TokenInfoReply.Json(c.Valid(scope: "7"))),
        new("scope true", c => TokenInfoReply.Json(c.Valid(scope: "true"))),
        new("scope an array holding a number", c => TokenInfoReply.Json(c.Valid(scope: "[\"user_info\",1]"))),
        new("scope an array holding an array", c => TokenInfoReply.Json(c.Valid(scope: "[[\"user_info\"]]"))),
        new("an empty scope", c => TokenInfoReply.Json(c.Valid(scope: "\"\"")), Status: 403, Challenge: Challenges.InsufficientScope("user_info"),
            Cached: true, Path: "/api/user"),
        new("a null scope", c => TokenInfoReply.Json(c.Valid(scope: "null")), Status: 403, Challenge: Challenges.InsufficientScope("scheduler"),
            Cached: true, Path: "/api/meetings"),
        new("only unknown scopes", c => TokenInfoReply.Json(c.Valid(scope: "\"admin offline_access\"")), Status: 403,
            Challenge: Challenges.InsufficientScope("user_info"), Cached: true, Path: "/api/user"),
        new("a scope in another case", c => TokenInfoReply.Json(c.Valid(scope: "\"USER_INFO\"")), Status: 403,
            Challenge: Challenges.InsufficientScope("user_info"), Cached: true, Path: "/api/user"),

        // expires_at and expires_in: the past is expired; what cannot be read with certainty is unavailable.
        new("expires_at in the past", c => TokenInfoReply.Json(c.Valid(expiresAt: Iso(c.Now.AddMinutes(-5)))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at within the clock skew", c => TokenInfoReply.Json(c.Valid(expiresAt: Iso(c.Now.AddSeconds(10)))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at negative", c => TokenInfoReply.Json(c.Valid(expiresAt: "-1")), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at zero", c => TokenInfoReply.Json(c.Valid(expiresAt: "0")), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at in Unix milliseconds in the past", c => TokenInfoReply.Json(c.Valid(expiresAt: c.Now.AddDays(-1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))),
            Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at in the past with a live expires_in", c => TokenInfoReply.Json(Obj(("client_id", Allowed), ("expires_at", Iso(c.Now.AddDays(-1))),
            ("expires_in", "86400"))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_in zero", _ => TokenInfoReply.Json(Obj(("client_id", Allowed), ("expires_in", "0"))), Status: 401, Challenge: Challenges.Expired, Cached: true),
        new("expires_at an absurd number", c => TokenInfoReply.Json(c.Valid(expiresAt: "1e300"))),
        new("expires_at an absurd negative number", c => TokenInfoReply.Json(c.Valid(expiresAt: "-1e300"))),
        new("expires_at past the year 9999", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"10000-01-01T00:00:00Z\""))),
        new("expires_at unparseable", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"tomorrow\""))),
        new("expires_at a culture-dependent date", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"03/01/2030\""))),
        new("expires_at empty", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"\""))),
        new("expires_at NaN", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"NaN\""))),
        new("expires_at Infinity", c => TokenInfoReply.Json(c.Valid(expiresAt: "\"Infinity\""))),
        new("expires_at true", c => TokenInfoReply.Json(c.Valid(expiresAt: "true"))),
        new("expires_at an object", c => TokenInfoReply.Json(c.Valid(expiresAt: "{\"at\":\"2030-01-01T00:00:00Z\"}"))),
        new("expires_at twice", c => TokenInfoReply.Json(Obj(("client_id", Allowed), ("expires_at", Iso(c.Now.AddDays(-1))), ("expires_at", Iso(c.Now.AddDays(1)))))),
        new("expires_in negative", _ => TokenInfoReply.Json(Obj(("client_id", Allowed), ("expires_in", "-60")))),
        new("expires_in absurd", _ => TokenInfoReply.Json(Obj(("client_id", Allowed), ("expires_in", "1e12")))),

        // Statuses. A redirect or another success than 200 is no answer, but nothing says join.me is unwell: no retry.
        new("a 302 to another host", _ => StatusReply(302, ("Location", "https://attacker.example/collect"))),
        new("a 308 to another host", _ => StatusReply(308, ("Location", "https://attacker.example/collect"))),
        new("a 204 No Content", _ => StatusReply(204)),
        new("a 201 with a valid body", c => TokenInfoReply.Of(201, c.Valid())),
        new("a 400", _ => StatusReply(400), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 401", _ => StatusReply(401), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 401 from the gateway", _ => StatusReply(401, ("WWW-Authenticate", "Bearer realm=\"api.join.me\", error=\"invalid_token\"")),
            Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 403 without a rate-limit code", _ => StatusReply(403), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 403 with ERR_403_NOT_AUTHORIZED", _ => StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_NOT_AUTHORIZED")),
            Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 404", _ => StatusReply(404), Status: 401, Challenge: Challenges.Invalid, Cached: true),
        new("a 429", _ => StatusReply(429)),
        new("a 429 asking to retry in an hour", _ => StatusReply(429, ("Retry-After", "3600"))),
        new("a 403 with ERR_403_DEVELOPER_OVER_QPS", _ => StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_QPS"))),
        new("a 403 with ERR_403_DEVELOPER_OVER_RATE", _ => StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_DEVELOPER_OVER_RATE"))),
        new("a 403 with ERR_403_SERVICE_OVER_QPS", _ => StatusReply(403, ("X-Mashery-Error-Code", "ERR_403_SERVICE_OVER_QPS"))),
        // Server errors and failures to connect are transient: retried once.
        new("a 500", _ => StatusReply(500), Calls: 2),
        new("a 502", _ => StatusReply(502), Calls: 2),
        new("a 503", _ => StatusReply(503), Calls: 2),
        new("a 504", _ => StatusReply(504), Calls: 2),
        new("a refused connection", _ => TokenInfoReply.Refused, Calls: 2),
        new("no answer at all", _ => TokenInfoReply.Hang, Calls: 2, ClockSteps: [AttemptTimeout, AttemptTimeout]),

        // The emulator's fault modes, with a token it issued: unavailable while the fault lasts, valid once it is gone.
        new("the emulator down", null, JoinMeEmulatorFaultMode.Down, Calls: 2),
        new("the emulator answering 500", null, JoinMeEmulatorFaultMode.Error, Calls: 2),
        new("the emulator answering garbage", null, JoinMeEmulatorFaultMode.Garbage),
        new("the emulator rate-limited", null, JoinMeEmulatorFaultMode.RateLimited),
        new("the emulator slower than the timeout", null, JoinMeEmulatorFaultMode.Slow, Calls: 2, ClockSteps: [AttemptTimeout, AttemptTimeout]),
    ];

    public static readonly IReadOnlyDictionary<string, TokenInfoCase> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    /// <summary>
    /// Sends the case's request; then, for an answer that came by itself, the same token again at once, and, when the verdict is not cached,
    /// once more a second later (the fault, if any, gone by then). Reports all three.
    /// </summary>
    public async Task<TokenInfoCaseRun> RunAsync(TestApi api)
    {
        string token;
        if (Script is not null)
        {
            token = Tokens.New();
            api.TokenInfo.Script(token, Script(new TokenInfoCaseContext(api.Now)));
        }
        else
        {
            token = api.Mint();
            api.Emulator.SetFault(Fault, Fault == JoinMeEmulatorFaultMode.Slow ? TimeSpan.FromMinutes(1) : TimeSpan.Zero);
        }

        try
        {
            var started = api.Now;
            var request = api.GetAsync(Path, token);
            for (var step = 0; step < (ClockSteps?.Length ?? 0); step++)
            {
                var attempts = step + 1;
                await Wait.UntilAsync(() => api.TokenInfo.CallsFor(token) == attempts, $"{Name}: attempt {attempts}");
                api.Time.Advance(ClockSteps![step]);
            }

            using var first = await Wait.ForAsync(request, Name);
            var run = new TokenInfoCaseRun(token, (int)first.StatusCode, first.WwwAuthenticate(), first.RetryAfter(), api.TokenInfo.CallsFor(token), api.Now - started);
            if (ClockSteps is not null)
            {
                return run;
            }

            api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
            run = run with { Again = await AskAgainAsync(api, token) };
            if (!Cached)
            {
                api.Time.Advance(TimeSpan.FromSeconds(1));
                run = run with { Later = await AskAgainAsync(api, token) };
            }

            return run;
        }
        finally
        {
            api.Emulator.SetFault(JoinMeEmulatorFaultMode.None);
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

    /// <summary>A time as a JSON string: ISO 8601, UTC, to the second.</summary>
    public static string Iso(DateTimeOffset value) => '"' + TokenInfoReply.Iso(value) + '"';

    public override string ToString() => Name;

    /// <summary>A status with join.me's error body and the given headers.</summary>
    internal static TokenInfoReply StatusReply(int status, params (string Name, string Value)[] headers) =>
        TokenInfoReply.Of(status, """{"Message":"no","ErrorCode":"invalid_token"}""", headers);

    private async Task<(int Status, string? Challenge, int Calls)> AskAgainAsync(TestApi api, string token)
    {
        var callsBefore = api.TokenInfo.CallsFor(token);
        using var response = await api.GetAsync(Path, token);
        return ((int)response.StatusCode, response.WwwAuthenticate(), api.TokenInfo.CallsFor(token) - callsBefore);
    }
}

/// <summary>What a scripted answer may depend on: the fake time when the case starts.</summary>
public sealed record TokenInfoCaseContext(DateTimeOffset Now)
{
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

        fields.Add(("expires_at", expiresAt is "" ? TokenInfoCase.Iso(Now.AddHours(1)) : expiresAt ?? "null"));
        return TokenInfoCase.Obj([.. fields]);
    }
}

/// <summary>What a case got: the first answer and how long it took on the fake clock; the same token again at once; and a second later.</summary>
public sealed record TokenInfoCaseRun(string Token, int Status, string? Challenge, string? RetryAfter, int Calls, TimeSpan FakeTimeTaken)
{
    /// <summary>The same token again at once: status, challenge, and how many more tokenInfo attempts it made.</summary>
    public (int Status, string? Challenge, int Calls)? Again { get; init; }

    /// <summary>The same token a second later, when the verdict was not cached.</summary>
    public (int Status, string? Challenge, int Calls)? Later { get; init; }
}
