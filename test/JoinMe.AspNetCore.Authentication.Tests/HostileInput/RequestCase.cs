namespace JoinMe.AspNetCore.Authentication.Tests.HostileInput;

/// <summary>
/// One hostile request. Templates hold <c>{t}</c> and <c>{u}</c>, replaced at run time by fresh 24-character tokens, so that every run
/// uses tokens no cache has seen and the log tests can look for them.
/// </summary>
/// <param name="Name">What the case is, as it reads in the test list.</param>
/// <param name="Authorization">The Authorization header values, each sent as is (none: no header).</param>
/// <param name="Query">The query string, or <see langword="null"/>.</param>
/// <param name="QueryTokens">Whether the scheme accepts tokens from the query (AcceptTokenFromQuery).</param>
/// <param name="Status">The expected status code.</param>
/// <param name="Challenge">The expected WWW-Authenticate value, exactly; <see langword="null"/> for none.</param>
/// <param name="Calls">How many tokenInfo calls the request may make.</param>
/// <param name="TokenAtEdge">When it makes one, the exact access_token tokenInfo must receive.</param>
public sealed record RequestCase(
    string Name,
    string[] Authorization,
    string? Query = null,
    bool QueryTokens = false,
    int Status = 401,
    string? Challenge = Challenges.Malformed,
    int Calls = 0,
    string? TokenAtEdge = null)
{
    public const int MaxTokenLength = 1024;

    public static readonly IReadOnlyList<RequestCase> All =
    [
        // No join.me credential at all: a plain challenge, no error code (RFC 6750 §3.1).
        new("no Authorization header", [], Challenge: Challenges.NoToken),
        new("an empty Authorization header", [""], Challenge: Challenges.NoToken),
        new("Basic credentials", ["Basic dXNlcjpwYXNzd29yZA=="], Challenge: Challenges.NoToken),
        new("Digest credentials", ["Digest username=\"{t}\", realm=\"x\", nonce=\"1\", uri=\"/\", response=\"0\""], Challenge: Challenges.NoToken),
        new("Negotiate credentials", ["Negotiate {t}"], Challenge: Challenges.NoToken),
        new("a scheme that only starts with Bearer", ["BearerX {t}"], Challenge: Challenges.NoToken),
        new("Bearer followed by a tab instead of a space", ["Bearer\t{t}"], Challenge: Challenges.NoToken),
        new("Bearer followed by a non-breaking space", ["Bearer\u00A0{t}"], Challenge: Challenges.NoToken),

        // A Bearer credential that is not a token.
        new("the scheme without a token", ["Bearer"]),
        new("an empty bearer token", ["Bearer "]),
        new("a bearer token of spaces only", ["Bearer      "]),
        new("a token with a space inside", ["Bearer {t} {u}"]),
        new("a token with a trailing space", ["Bearer {t} "]),
        new("a token with a tab inside", ["Bearer {t}\t{u}"]),
        new("a token with a NUL character", ["Bearer {t}\0{u}"]),
        new("a token with a control character", ["Bearer {t}\u0001{u}"]),
        new("a token with an escape character", ["Bearer {t}\u001b[31m{u}"]),
        new("a token with DEL", ["Bearer {t}\u007f"]),
        new("a token with CR LF and an injected header", ["Bearer {t}\r\nX-Injected: {u}"]),
        new("a token with a bare LF", ["Bearer {t}\n{u}"]),
        new("a token with a bare CR", ["Bearer {t}\r{u}"]),
        new("a token with non-ASCII letters", ["Bearer {t}tökén"]),
        new("a token with a non-breaking space inside", ["Bearer {t}\u00A0{u}"]),
        new("a token with an emoji", ["Bearer {t}\U0001F600"]),
        new("a token of full-width letters", ["Bearer {t}ａｂｃ"]),
        new("a token with a right-to-left override", ["Bearer {t}\u202E{u}"]),
        new("a token with a lone surrogate", ["Bearer {t}\uD800"]),
        new("a token with an ampersand and a second parameter", ["Bearer {t}&client_id=demo-client"]),
        new("a token with a hash", ["Bearer {t}#{u}"]),
        new("a token with a percent escape", ["Bearer {t}%26{u}"]),
        new("a token with a question mark", ["Bearer {t}?access_token={u}"]),
        new("a token with a quote", ["Bearer {t}\"{u}"]),
        new("a token with a comma", ["Bearer {t},{u}"]),
        new("a token with an equals sign inside", ["Bearer {t}={u}"]),
        new("a token of padding only", ["Bearer ==="]),
        new("a 100 KB token", ["Bearer {t}" + new string('a', 100 * 1024)]),
        new("a token one character over the length cap", ["Bearer {t}" + new string('a', MaxTokenLength - 24 + 1)]),

        // RFC 6750: one token, one way.
        new("two Authorization headers", ["Bearer {t}", "Bearer {u}"], Status: 400, Challenge: Challenges.InvalidRequest),
        new("the same token in two Authorization headers", ["Bearer {t}", "Bearer {t}"], Status: 400, Challenge: Challenges.InvalidRequest),
        new("Basic and Bearer headers together", ["Basic dXNlcjpwYXNzd29yZA==", "Bearer {t}"], Status: 400, Challenge: Challenges.InvalidRequest),

        // Characters b64token allows: the token must reach tokenInfo intact (percent-encoded in its query), and is then refused by join.me.
        new("a token with a plus", ["Bearer {t}+{u}"], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}+{u}"),
        new("a token with slashes and dots", ["Bearer {t}/../{u}"], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}/../{u}"),
        new("a token with trailing padding", ["Bearer {t}=="], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}=="),
        new("a token with tilde, dash, dot and underscore", ["Bearer {t}~-._{u}"], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}~-._{u}"),
        new("a token exactly at the length cap", ["Bearer {t}" + new string('a', MaxTokenLength - 24)], Challenge: Challenges.Invalid, Calls: 1,
            TokenAtEdge: "{t}" + new string('a', MaxTokenLength - 24)),
        new("a lower-case scheme name", ["bearer {t}"], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}"),
        new("two spaces before the token", ["Bearer  {t}"], Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}"),

        // The query string, with AcceptTokenFromQuery off (the default) and on.
        new("a query token while query tokens are off", [], Query: "?access_token={t}", Challenge: Challenges.NoToken),
        new("a header and a query token while query tokens are off", ["Bearer {t}"], Query: "?access_token={u}",
            Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}"),
        new("a header and a query token", ["Bearer {t}"], Query: "?access_token={u}", QueryTokens: true, Status: 400, Challenge: Challenges.InvalidRequest),
        new("a malformed header and a query token", ["Bearer"], Query: "?access_token={u}", QueryTokens: true, Status: 400, Challenge: Challenges.InvalidRequest),
        new("two query tokens", [], Query: "?access_token={t}&access_token={u}", QueryTokens: true, Status: 400, Challenge: Challenges.InvalidRequest),
        new("an empty query token", [], Query: "?access_token=", QueryTokens: true),
        new("a query token with an encoded CR LF", [], Query: "?access_token={t}%0D%0AX-Injected:%20{u}", QueryTokens: true),
        new("a query token with an encoded ampersand", [], Query: "?access_token={t}%26client_id%3Ddemo-client", QueryTokens: true),
        new("a query token with a plus that decodes to a space", [], Query: "?access_token={t}+{u}", QueryTokens: true),
        new("a query token with an encoded NUL", [], Query: "?access_token={t}%00", QueryTokens: true),
        new("a query token with invalid percent-encoding", [], Query: "?access_token={t}%E0%A4%A", QueryTokens: true),
        new("a query token with Basic credentials in the header", ["Basic dXNlcjpwYXNzd29yZA=="], Query: "?access_token={t}", QueryTokens: true,
            Challenge: Challenges.Invalid, Calls: 1, TokenAtEdge: "{t}"),
    ];

    public static readonly IReadOnlyDictionary<string, RequestCase> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    /// <summary>Sends the case to <paramref name="api"/> with fresh tokens and reports what came back.</summary>
    public async Task<RequestCaseRun> RunAsync(TestApi api)
    {
        var (t, u) = (Tokens.New(), Tokens.New());
        string Fill(string template) => template.Replace("{t}", t, StringComparison.Ordinal).Replace("{u}", u, StringComparison.Ordinal);

        var callsBefore = api.TokenInfo.Calls;
        var response = await api.SendRawAsync("/api/me", [.. Authorization.Select(Fill)], Query is null ? null : Fill(Query));
        var edgeTokens = api.TokenInfo.Requests.Skip(callsBefore).Select(call => call.Token).ToArray();
        var inQuery = Query is null ? [] : new[] { t, u }.Where(token => Fill(Query).Contains(token, StringComparison.Ordinal)).ToArray();
        return new RequestCaseRun(response, api.TokenInfo.Calls - callsBefore, edgeTokens, TokenAtEdge is null ? null : Fill(TokenAtEdge), [t, u], inQuery);
    }

    public override string ToString() => Name;
}

/// <summary>What one hostile request got: its response, the tokenInfo attempts it made and the tokens they carried, and the tokens it was sent with.</summary>
public sealed record RequestCaseRun(RawResponse Response, int Calls, string?[] EdgeTokens, string? ExpectedEdgeToken, string[] Tokens, string[] QueryTokens);
