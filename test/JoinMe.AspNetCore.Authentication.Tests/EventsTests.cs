using System.Security.Claims;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>The events, as an app would use them.</summary>
public sealed class EventsTests
{
    [Fact]
    public async Task OnTokenInfoReceived_sees_what_tokenInfo_said()
    {
        JoinMeTokenInfo? seen = null;
        string? scheme = null;
        await using var api = new TestApi().Configure(options => options.Events.OnTokenInfoReceived = context =>
        {
            seen = context.TokenInfo;
            scheme = context.Scheme.Name;
            return Task.CompletedTask;
        });
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), "user_info scheduler"));

        await api.MeAsync("tok3n");

        Assert.Equal("demo-client", seen!.ClientId);
        Assert.Equal(["user_info", "scheduler"], seen.Scopes);
        Assert.Equal(TestApi.StartTime.AddHours(1), seen.ExpiresAt);
        Assert.Equal("JoinMe", scheme);
    }

    [Fact]
    public async Task OnTokenInfoReceived_runs_for_every_request_from_the_cache_too_and_can_adjust_the_scopes_it_judges()
    {
        var raised = 0;
        await using var api = new TestApi().Configure(options => options.Events.OnTokenInfoReceived = context =>
        {
            Interlocked.Increment(ref raised);
            context.TokenInfo = context.TokenInfo with { Scopes = [.. context.TokenInfo.Scopes, JoinMeScopes.Scheduler] };
            return Task.CompletedTask;
        });
        api.TokenInfo.AnswersValid("user_info");

        var answers = await TwoRequestsAsync(api, "/api/meetings");

        Assert.Equal([(HttpStatusCode.OK, null), (HttpStatusCode.OK, null)], answers);
        Assert.Equal(2, raised);
    }

    [Fact]
    public async Task OnTokenInfoReceived_can_shorten_how_long_the_token_is_trusted()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnTokenInfoReceived = context =>
        {
            context.TokenInfo = context.TokenInfo with { ExpiresAt = TestApi.StartTime.AddMinutes(2) };
            return Task.CompletedTask;
        });
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(24)));
        await api.MeAsync("tok3n");

        api.Time.Advance(TimeSpan.FromSeconds(90));
        using var afterTheShortenedExpiry = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(1, api.TokenInfo.Calls);
        Assert.Equal(HttpStatusCode.Unauthorized, afterTheShortenedExpiry.StatusCode);
    }

    [Fact]
    public async Task OnTokenInfoReceived_can_reject_a_token_on_every_request_without_asking_join_me_again()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnTokenInfoReceived = context =>
        {
            if (!context.TokenInfo.Scopes.Contains(JoinMeScopes.UserInfo))
            {
                context.Reject();
            }

            return Task.CompletedTask;
        });
        api.TokenInfo.AnswersValid("scheduler");

        var answers = await TwoRequestsAsync(api, "/api/meetings");

        Assert.Equal([(HttpStatusCode.Unauthorized, Challenges.Invalid), (HttpStatusCode.Unauthorized, Challenges.Invalid)], answers);
    }

    [Fact]
    public async Task OnTokenInfoReceived_is_not_raised_for_an_answer_that_is_not_a_tokenInfo_object()
    {
        var raised = false;
        await using var api = new TestApi().Configure(options => options.Events.OnTokenInfoReceived = _ =>
        {
            raised = true;
            return Task.CompletedTask;
        });
        api.TokenInfo.Answers(TokenInfoReply.Of(401));

        (await api.GetAsync("/api/me", "tok3n")).Dispose();

        Assert.False(raised);
    }

    [Fact]
    public async Task OnTokenInfoReceived_that_throws_makes_the_token_unavailable_not_a_500()
    {
        await using var api = new TestApi().Configure(options =>
            options.Events.OnTokenInfoReceived = _ => throw new InvalidOperationException("A bug in the app's event."));

        var answers = await TwoRequestsAsync(api, "/api/me");

        Assert.Equal([(HttpStatusCode.ServiceUnavailable, Challenges.Unavailable), (HttpStatusCode.ServiceUnavailable, Challenges.Unavailable)], answers);
    }

    [Fact]
    public async Task OnTokenValidated_can_add_a_claim()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnTokenValidated = context =>
        {
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            identity.AddClaim(new Claim("tenant", "contoso-" + context.TokenInfo.ClientId));
            return Task.CompletedTask;
        });

        var ticket = await api.ProbeAsync("tok3n");

        Assert.Equal(["contoso-demo-client"], ticket.ValuesOf("tenant"));
    }

    [Fact]
    public async Task OnTokenValidated_can_fail_the_request()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnTokenValidated = context =>
        {
            context.Fail("This app does not accept the token on this host.");
            return Task.CompletedTask;
        });

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenges.Invalid, response.WwwAuthenticate());
    }

    [Fact]
    public async Task OnChallenge_can_change_the_description_which_is_escaped()
    {
        JoinMeFailureReason? seen = null;
        await using var api = new TestApi().Configure(options => options.Events.OnChallenge = context =>
        {
            seen = context.Reason;
            context.ErrorDescription = "Sign in to \"Demo\" again.";
            return Task.CompletedTask;
        });
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(-5)));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Sign in to \\\"Demo\\\" again.\"", response.WwwAuthenticate());
        Assert.Equal(JoinMeFailureReason.Expired, seen);
    }

    [Fact]
    public async Task OnChallenge_sees_no_reason_when_there_was_no_token()
    {
        var raised = false;
        JoinMeFailureReason? seen = null;
        await using var api = new TestApi().Configure(options => options.Events.OnChallenge = context =>
        {
            raised = true;
            seen = context.Reason;
            return Task.CompletedTask;
        });

        (await api.GetAsync("/api/me")).Dispose();

        Assert.True(raised);
        Assert.Null(seen);
    }

    [Fact]
    public async Task OnChallenge_can_write_the_response_itself()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnChallenge = async context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = context.Reason?.ToString() });
        });
        api.TokenInfo.Answers(TokenInfoReply.Of(500));

        using var response = await api.GetAsync("/api/me", "tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.WwwAuthenticate());
        Assert.Null(response.RetryAfter());
        Assert.Equal("""{"error":"ServiceUnavailable"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OnForbidden_sees_the_missing_scopes()
    {
        IReadOnlyList<string>? missing = null;
        await using var api = new TestApi().Configure(options => options.Events.OnForbidden = context =>
        {
            missing = context.MissingScopes;
            return Task.CompletedTask;
        });
        api.TokenInfo.AnswersValid("user_info");

        using var response = await api.GetAsync("/api/meetings", "tok3n");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["scheduler"], missing);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"scheduler\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task OnForbidden_can_write_the_response_itself()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnForbidden = async context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { missing = context.MissingScopes });
        });
        api.TokenInfo.AnswersValid("user_info");

        using var response = await api.PostAsync("/api/meetings/start", "tok3n");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.WwwAuthenticate());
        Assert.Equal("""{"missing":["start_meeting"]}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static TheoryData<string, JoinMeFailureReason> Failures => new()
    {
        { "another client", JoinMeFailureReason.ClientNotAllowed },
        { "expired", JoinMeFailureReason.Expired },
        { "unknown", JoinMeFailureReason.InvalidToken },
        { "malformed", JoinMeFailureReason.MalformedToken },
        { "down", JoinMeFailureReason.ServiceUnavailable },
        { "rate limited", JoinMeFailureReason.RateLimited },
        { "not JSON", JoinMeFailureReason.UnreadableResponse },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task OnAuthenticationFailed_sees_why(string scenario, JoinMeFailureReason expected)
    {
        JoinMeFailureReason? seen = null;
        await using var api = new TestApi().Configure(options => options.Events.OnAuthenticationFailed = context =>
        {
            seen = context.Reason;
            return Task.CompletedTask;
        });
        api.TokenInfo.Answers((token, now) => token switch
        {
            "another-client" => TokenInfoReply.Valid(now.AddHours(1), clientId: "someone-else"),
            "expired" => TokenInfoReply.Valid(now.AddHours(-1)),
            "unknown" => TokenInfoReply.StaleToken(),
            "down" => TokenInfoReply.Of(502),
            "rate-limited" => TokenInfoReply.Of(429),
            _ => TokenInfoReply.Json("<html/>"),
        });

        var token = scenario == "malformed" ? "not a token" : scenario.Replace(' ', '-');

        (await api.GetAsync("/api/me", token)).Dispose();

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Events_can_be_a_subclass_that_overrides_the_virtual_methods()
    {
        var events = new TenantEvents();
        await using var api = new TestApi().Configure(options => options.Events = events);

        using var response = await api.GetWithHeadersAsync("/__test/auth/JoinMe", headers => headers.Add("X-Api-Key", "tok3n"));
        var ticket = await response.Content.ReadFromJsonAsync<ProbeResult>(TestContext.Current.CancellationToken);

        Assert.Equal(["contoso"], ticket!.ValuesOf("tenant"));
        Assert.Equal("tok3n", Assert.Single(api.TokenInfo.Requests).Token);
    }

    /// <summary>
    /// Sends two requests with "tok3n" to <paramref name="path"/>, and returns the status and challenge of each: the first asks tokenInfo, the
    /// second is served from what the first stored, without another call.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string? Challenge)[]> TwoRequestsAsync(TestApi api, string path)
    {
        var answers = new List<(HttpStatusCode, string?)>();
        for (var request = 0; request < 2; request++)
        {
            using var response = await api.GetAsync(path, "tok3n");
            answers.Add((response.StatusCode, response.WwwAuthenticate()));
        }

        Assert.Equal(1, api.TokenInfo.Calls);
        return [.. answers];
    }

    private sealed class TenantEvents : JoinMeEvents
    {
        public override Task MessageReceived(MessageReceivedContext context)
        {
            context.Token = context.Request.Headers["X-Api-Key"];
            return Task.CompletedTask;
        }

        public override Task TokenValidated(TokenValidatedContext context)
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("tenant", "contoso"));
            return Task.CompletedTask;
        }
    }
}
