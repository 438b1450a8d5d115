namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>The tolerant reading of a 200 answer: every form of expiry and scope, names in any case, unknown and repeated fields.</summary>
public sealed class TokenInfoReadingTests
{
    private const string OneHourLater = "2026-03-01T13:00:00.0000000Z";

    [Theory]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00Z" """, OneHourLater)]
    [InlineData(""" "expires_at":"2026-03-01T15:00:00+02:00" """, OneHourLater)]
    [InlineData(""" "expires_at":"2026-03-01T08:00:00-05:00" """, OneHourLater)]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00" """, OneHourLater)]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00.000Z" """, OneHourLater)]
    [InlineData(""" "expires_at":" 2026-03-01T13:00:00Z " """, OneHourLater)]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00.5Z" """, "2026-03-01T13:00:00.5000000Z")]
    [InlineData(""" "expires_at":1772370000 """, OneHourLater)]
    [InlineData(""" "expires_at":1772370000000 """, OneHourLater)]
    [InlineData(""" "expires_at":"1772370000" """, OneHourLater)]
    [InlineData(""" "expires_at":"1772370000000" """, OneHourLater)]
    [InlineData(""" "expires_at":1772370000.0 """, OneHourLater)]
    [InlineData(""" "expires_at":1772370000.25 """, "2026-03-01T13:00:00.2500000Z")]
    [InlineData(""" "expires_at":"1772370000.75" """, "2026-03-01T13:00:00.7500000Z")]
    [InlineData(""" "expires_at":1772370000500 """, "2026-03-01T13:00:00.5000000Z")]
    [InlineData(""" "expires_in":3600 """, OneHourLater)]
    [InlineData(""" "expires_in":"3600" """, OneHourLater)]
    [InlineData(""" "expires_in":3600.5 """, "2026-03-01T13:00:00.5000000Z")]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00Z","expires_in":60 """, "2026-03-01T12:01:00.0000000Z")] // the earlier of the two
    [InlineData(""" "expires_in":60,"expires_at":"2026-03-01T13:00:00Z" """, "2026-03-01T12:01:00.0000000Z")]
    [InlineData(""" "expires_at":"2026-03-01T13:00:00Z","expires_in":7200 """, OneHourLater)]
    [InlineData(""" "expires_at":null,"expires_in":3600 """, OneHourLater)]
    public async Task Reads_every_form_of_expiry_into_the_expires_at_claim_and_the_ticket(string expiry, string expected)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json($$"""{"client_id":"demo-client","scope":"user_info",{{expiry}}}"""));

        var me = await api.MeAsync("tok3n");
        var ticket = await api.ProbeAsync("tok3n");

        Assert.Equal(expected, me.ExpiresAt);

        // AuthenticationProperties keep ExpiresUtc to the second.
        var expiresAt = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expiresAt.AddTicks(-(expiresAt.Ticks % TimeSpan.TicksPerSecond)), ticket.ExpiresUtc);
    }

    [Fact]
    public async Task Counts_expires_in_from_the_moment_the_answer_arrived()
    {
        await using var api = new TestApi();
        api.TokenInfo.AnswersAfter(TimeSpan.FromSeconds(1.5), TokenInfoReply.Json("""{"client_id":"demo-client","expires_in":3600}"""));

        var pending = api.GetAsync("/api/me", "tok3n");
        await api.TokenInfo.WhenCallsArrived(1);
        api.Time.Advance(TimeSpan.FromSeconds(1.5));
        using var response = await pending;
        var me = await api.MeAsync("tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-03-01T13:00:01.5000000Z", me.ExpiresAt);
        Assert.Equal(1, api.TokenInfo.Calls);
    }

    [Theory]
    [InlineData("""{"client_id":"demo-client","scope":"user_info"}""")]
    [InlineData("""{"client_id":"demo-client","scope":"user_info","expires_at":null}""")]
    [InlineData("""{"client_id":"demo-client","scope":"user_info","expires_at":null,"expires_in":null}""")]
    public async Task Accepts_a_token_whose_answer_gives_no_expiry_and_sets_none(string body)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json(body));

        var me = await api.MeAsync("tok3n");
        var ticket = await api.ProbeAsync("tok3n");

        Assert.Null(me.ExpiresAt);
        Assert.Null(ticket.ExpiresUtc);
    }

    [Fact]
    public async Task Caches_a_token_without_expiry_only_for_NoExpiryCacheDuration()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json("""{"client_id":"demo-client","scope":"user_info"}"""));
        await api.MeAsync("tok3n");

        await api.AssertTrustedForAsync("tok3n", TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData(""" "scope":"user_info scheduler" """, new[] { "user_info", "scheduler" })]
    [InlineData(""" "scope":"  user_info   scheduler " """, new[] { "user_info", "scheduler" })]
    [InlineData(""" "scope":"scheduler scheduler" """, new[] { "scheduler" })]
    [InlineData(""" "scope":["user_info","scheduler"] """, new[] { "user_info", "scheduler" })]
    [InlineData(""" "scope":["user_info scheduler","start_meeting"] """, new[] { "user_info", "scheduler", "start_meeting" })]
    [InlineData(""" "scope":["scheduler","scheduler"] """, new[] { "scheduler" })]
    [InlineData(""" "scope":"some_future_scope" """, new[] { "some_future_scope" })]
    [InlineData(""" "scope":"" """, new string[0])]
    [InlineData(""" "scope":[] """, new string[0])]
    [InlineData(""" "scope":null """, new string[0])]
    [InlineData(""" "no_scope_here":true """, new string[0])]
    public async Task Reads_scopes_given_as_a_string_or_an_array_into_one_claim_each(string scope, string[] expected)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json($$"""{"client_id":"demo-client","expires_at":"2026-03-01T13:00:00Z",{{scope}}}"""));

        var me = await api.MeAsync("tok3n");

        Assert.Equal(expected, me.Scopes);
    }

    [Fact]
    public async Task Refuses_a_token_without_scopes_where_a_scope_is_required_but_accepts_it_where_none_is()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json("""{"client_id":"demo-client","scope":"","expires_at":"2026-03-01T13:00:00Z"}"""));

        using var me = await api.GetAsync("/api/me", "tok3n");
        using var meetings = await api.GetAsync("/api/meetings", "tok3n");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, meetings.StatusCode);
    }

    [Theory]
    [InlineData("""{"CLIENT_ID":"demo-client","Scope":"user_info","Expires_At":"2026-03-01T13:00:00Z"}""")]
    [InlineData("""{"Client_Id":"demo-client","SCOPE":["user_info"],"EXPIRES_IN":3600}""")]
    public async Task Matches_property_names_without_regard_to_case(string body)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json(body));

        var me = await api.MeAsync("tok3n");

        Assert.Equal("demo-client", me.ClientId);
        Assert.Equal(["user_info"], me.Scopes);
        Assert.Equal(OneHourLater, me.ExpiresAt);
    }

    [Fact]
    public async Task Ignores_unknown_fields_of_any_shape()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json("""
            {
              "token_type": "bearer",
              "client_id": "demo-client",
              "user": { "name": "Demo", "tags": [1, 2, { "client_id": "someone-else" }] },
              "scope": "user_info",
              "ErrorCode": null,
              "issued_at": 1772366400,
              "expires_at": "2026-03-01T13:00:00Z",
              "active": true
            }
            """));

        var me = await api.MeAsync("tok3n");

        Assert.Equal("demo-client", me.ClientId);
        Assert.Equal(["user_info"], me.Scopes);
        Assert.Equal(OneHourLater, me.ExpiresAt);
    }

    [Theory]
    [InlineData("\n  {\"client_id\":\"demo-client\",\"scope\":\"user_info\"}\r\n")]
    [InlineData("\uFEFF{\"client_id\":\"demo-client\",\"scope\":\"user_info\"}")]
    public async Task Reads_an_answer_with_surrounding_white_space_or_a_byte_order_mark(string body)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json(body));

        var me = await api.MeAsync("tok3n");

        Assert.Equal("demo-client", me.ClientId);
    }

    [Theory]
    [InlineData("""{"client_id":"demo-client","client_id":"demo-client"}""")]
    [InlineData("""{"client_id":"someone-else","CLIENT_ID":"demo-client"}""")]
    [InlineData("""{"client_id":"demo-client","scope":"user_info","scope":"scheduler"}""")]
    [InlineData("""{"client_id":"demo-client","expires_at":"2026-03-01T13:00:00Z","Expires_At":"2027-03-01T13:00:00Z"}""")]
    [InlineData("""{"client_id":"demo-client","expires_in":60,"expires_in":3600}""")]
    public async Task Answers_503_for_an_answer_with_a_repeated_field(string body)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Json(body));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
