using JoinMe.AspNetCore.Authentication.Internal;
using Microsoft.AspNetCore.Authorization;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>
/// The three ways to require a scope, through the sample: <c>.RequireScope</c> on GET /api/meetings, <c>[RequireScope]</c> on GET /api/user,
/// and <c>[Authorize(Policy = "start_meeting")]</c> on POST /api/meetings/start.
/// </summary>
public sealed class ScopeRequirementTests
{
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/meetings", "scheduler" },
        { "GET", "/api/user", "user_info" },
        { "POST", "/api/meetings/start", "start_meeting" },
    };

    public static TheoryData<string, string> Paths => new()
    {
        { "GET", "/api/meetings" },
        { "GET", "/api/user" },
        { "POST", "/api/meetings/start" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Serves_a_token_that_holds_the_scope(string method, string path, string scope)
    {
        await using var api = new TestApi();
        api.TokenInfo.AnswersValid($"provisioning {scope}");

        using var response = await api.SendAsync(new HttpMethod(method), path, "Bearer tok3n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.WwwAuthenticate());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Answers_403_insufficient_scope_naming_the_missing_scope(string method, string path, string scope)
    {
        await using var api = new TestApi();
        api.TokenInfo.AnswersValid(string.Join(' ', JoinMeScopes.All.Where(other => other != scope)));

        using var response = await api.SendAsync(new HttpMethod(method), path, "Bearer tok3n");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{scope}\"", response.WwwAuthenticate());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Answers_401_with_a_plain_Bearer_challenge_without_a_token(string method, string path)
    {
        await using var api = new TestApi();

        using var response = await api.SendAsync(new HttpMethod(method), path, authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.WwwAuthenticate());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Answers_401_invalid_token_for_a_rejected_token(string method, string path, string scope)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), scope, clientId: "someone-else"));

        using var response = await api.SendAsync(new HttpMethod(method), path, "Bearer tok3n");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenges.Invalid, response.WwwAuthenticate());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Answers_503_when_tokenInfo_is_down(string method, string path)
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Of(500));

        using var response = await api.SendAsync(new HttpMethod(method), path, "Bearer tok3n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.RetryAfter());
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("user_info scheduler start_meeting")]
    [InlineData("start_meeting scheduler")]
    public async Task Is_satisfied_by_a_single_space_delimited_scope_claim_from_another_scheme(string claim)
    {
        var requirement = new JoinMeScopeRequirement("scheduler");
        var user = ClaimsPrincipalFactory.With("SomeJwtScheme", ("scope", claim));
        var context = new AuthorizationHandlerContext([requirement], user, resource: null);

        await requirement.HandleAsync(context);

        Assert.True(context.HasSucceeded);
    }

    [Theory]
    [InlineData("schedule")]
    [InlineData("scheduler_admin")]
    [InlineData("Scheduler")]
    [InlineData("user_info start_meeting")]
    [InlineData("")]
    public async Task Is_not_satisfied_by_a_claim_that_only_resembles_the_scope(string claim)
    {
        var requirement = new JoinMeScopeRequirement("scheduler");
        var user = ClaimsPrincipalFactory.With("SomeJwtScheme", ("scope", claim), ("scp", "scheduler"));
        var context = new AuthorizationHandlerContext([requirement], user, resource: null);

        await requirement.HandleAsync(context);

        Assert.False(context.HasSucceeded);
    }

    [Fact]
    public async Task Requires_every_scope()
    {
        var requirement = new JoinMeScopeRequirement("user_info", "scheduler", "start_meeting");
        var user = ClaimsPrincipalFactory.With("JoinMe", ("scope", "user_info"));
        var httpContext = new DefaultHttpContext();
        var context = new AuthorizationHandlerContext([requirement], user, httpContext);

        await requirement.HandleAsync(context);

        Assert.False(context.HasSucceeded);
        Assert.Same(requirement, Assert.Single(context.PendingRequirements));
    }

    [Fact]
    public async Task Is_satisfied_by_scopes_spread_over_several_claims_and_identities()
    {
        var requirement = new JoinMeScopeRequirement("user_info", "scheduler");
        var user = ClaimsPrincipalFactory.With("JoinMe", ("scope", "user_info"));
        user.AddIdentity(new System.Security.Claims.ClaimsIdentity([new("scope", "provisioning scheduler")], "Other"));
        var context = new AuthorizationHandlerContext([requirement], user, resource: null);

        await requirement.HandleAsync(context);

        Assert.True(context.HasSucceeded);
    }

    [Fact]
    public void Refuses_to_build_a_policy_that_requires_no_scope()
    {
        var exception = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope());

        Assert.Contains("at least one scope", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("user_info scheduler")]
    public void Refuses_a_scope_name_that_is_empty_or_holds_white_space(string scope)
    {
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope(scope));
        Assert.Throws<ArgumentException>(() => new RequireScopeAttribute(scope));
    }

    [Fact]
    public void Refuses_an_attribute_that_requires_no_scope() =>
        Assert.Throws<ArgumentException>(() => new RequireScopeAttribute());

    [Fact]
    public async Task Registers_one_policy_per_join_me_scope()
    {
        await using var api = new TestApi();
        var policies = api.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        foreach (var scope in JoinMeScopes.All)
        {
            var policy = await policies.GetPolicyAsync(scope);

            var requirement = Assert.IsType<JoinMeScopeRequirement>(Assert.Single(policy!.Requirements));
            Assert.Equal([scope], requirement.Scopes);
        }
    }
}
