namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>The security scheme a join.me scheme becomes, and what its options change in the document.</summary>
public sealed class SecuritySchemeTests
{
    [Fact]
    public async Task The_scheme_is_oauth2_implicit_at_join_mes_authorize_endpoint_with_its_four_scopes()
    {
        await using var app = await DescribedApp.StartAsync(a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler));

        var scheme = (await app.GetDocumentAsync()).SecurityScheme();

        OpenApiJson.AssertJsonEqual("""
            {
              "type": "oauth2",
              "description": "join.me OAuth 2.0 access token, sent as Authorization: Bearer and checked with join.me's tokenInfo (scheme 'JoinMe').",
              "flows": {
                "implicit": {
                  "authorizationUrl": "https://secure.join.me/api/public/v1/auth/oauth2",
                  "scopes": {
                    "user_info": "Read the user's profile (GET /v1/user).",
                    "scheduler": "Read and manage scheduled meetings (/v1/meetings).",
                    "start_meeting": "Start meetings (POST /v1/meetings/start).",
                    "provisioning": "Manage presenters (/v1/presenters); granted to join.me Business API keys only."
                  }
                }
              }
            }
            """,
            scheme);
    }

    [Fact]
    public async Task An_app_that_hosts_the_emulator_signs_in_at_its_own_authorize_path()
    {
        await using var app = await DescribedApp.StartAsync(
            a =>
            {
                a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler);
                a.MapJoinMeEmulator();
            },
            services => services.AddJoinMeEmulator(o => o.UnsafeAllowOutsideDevelopment = true)); // a test host, not in Development

        var document = await app.GetDocumentAsync();

        Assert.Equal("/api/public/v1/auth/oauth2", document.AuthorizationUrl());
    }

    [Fact]
    public async Task Each_described_scheme_has_its_own_name_and_an_authorization_url_that_follows_its_Authority_and_a_policy_accepting_both_offers_either()
    {
        await using var app = await DescribedApp.StartAsync(
            a =>
            {
                a.MapGet("/partner", () => "ok")
                    .RequireAuthorization(new AuthorizationPolicyBuilder("Partner").RequireScope(JoinMeScopes.UserInfo).Build());
                a.MapGet("/either", () => "ok")
                    .RequireAuthorization(new AuthorizationPolicyBuilder(JoinMeAuthenticationDefaults.AuthenticationScheme, "Partner").RequireScope(JoinMeScopes.Scheduler).Build());
            },
            services => services.AddAuthentication().AddJoinMe("Partner", o =>
            {
                o.Authority = "https://partner.example.com/";
                o.AllowedClientIds.Add("partner-client");
            }),
            openApi: options => options.AddJoinMeSecurity().AddJoinMeSecurity("Partner"));

        var document = await app.GetDocumentAsync();

        Assert.Equal("https://partner.example.com/api/public/v1/auth/oauth2", document.AuthorizationUrl("Partner"));
        Assert.Equal("https://secure.join.me/api/public/v1/auth/oauth2", document.AuthorizationUrl("JoinMe"));
        OpenApiJson.AssertJsonEqual("""[{ "Partner": ["user_info"] }]""", document.Operation("GET", "/partner")["security"]);
        OpenApiJson.AssertJsonEqual("""[{ "JoinMe": ["scheduler"] }, { "Partner": ["scheduler"] }]""", document.Operation("GET", "/either")["security"]);
    }

    [Fact]
    public async Task Calling_AddJoinMeSecurity_twice_describes_the_scheme_once()
    {
        await using var app = await DescribedApp.StartAsync(
            a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler),
            openApi: options => options.AddJoinMeSecurity().AddJoinMeSecurity());

        var document = await app.GetDocumentAsync();

        OpenApiJson.AssertJsonEqual("""[{ "JoinMe": ["scheduler"] }]""", document.Operation("GET", "/meetings")["security"]);
        Assert.Single(document["components"]!["securitySchemes"]!.AsObject());
    }

    [Fact]
    public async Task The_fallback_policy_guards_endpoints_without_metadata_as_it_does_at_run_time()
    {
        await using var app = await DescribedApp.StartAsync(
            a =>
            {
                a.MapGet("/plain", () => "ok");
                a.MapGet("/open", () => "ok").AllowAnonymous();
            },
            services => services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireScope(JoinMeScopes.UserInfo).Build()));

        var document = await app.GetDocumentAsync();

        OpenApiJson.AssertJsonEqual("""[{ "JoinMe": ["user_info"] }]""", document.Operation("GET", "/plain")["security"]);
        Assert.Null(document.Operation("GET", "/open")["security"]);
    }

    [Fact]
    public async Task When_join_me_being_unavailable_answers_401_no_503_is_described_and_the_401_says_so()
    {
        await using var app = await DescribedApp.StartAsync(
            a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler),
            services => services.Configure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, o => o.UnavailableStatusCode = StatusCodes.Status401Unauthorized));

        var operation = (await app.GetDocumentAsync()).Operation("GET", "/meetings");

        Assert.Equal(["401", "403", "429"], operation.SecurityResponses());
        Assert.EndsWith("; or join.me could not be asked whether it is valid.", (string?)operation["responses"]!["401"]!["description"]);
    }

    [Fact]
    public async Task Without_a_per_caller_budget_of_new_tokens_no_429_is_described()
    {
        await using var app = await DescribedApp.StartAsync(
            a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler),
            services => services.Configure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, o => o.MaxCacheMissesPerCallerPerMinute = 0));

        var operation = (await app.GetDocumentAsync()).Operation("GET", "/meetings");

        Assert.Equal(["401", "403", "503"], operation.SecurityResponses());
    }

    [Fact]
    public async Task Without_RetryAfter_the_503_has_no_Retry_After_header()
    {
        await using var app = await DescribedApp.StartAsync(
            a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler),
            services => services.Configure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, o => o.RetryAfter = TimeSpan.Zero));

        var unavailable = (await app.GetDocumentAsync()).Operation("GET", "/meetings")["responses"]!["503"]!;

        Assert.Null(unavailable["headers"]);
    }

    [Fact]
    public async Task A_response_the_operation_declares_keeps_its_description_and_gains_the_challenge_header()
    {
        await using var app = await DescribedApp.StartAsync(
            a => a.MapGet("/meetings", () => "ok").RequireScope(JoinMeScopes.Scheduler).ProducesProblem(StatusCodes.Status401Unauthorized));

        var unauthorized = (await app.GetDocumentAsync()).Operation("GET", "/meetings")["responses"]!["401"]!;

        Assert.Equal("Unauthorized", (string?)unauthorized["description"]);
        Assert.NotNull(unauthorized["headers"]!["WWW-Authenticate"]);
    }
}
