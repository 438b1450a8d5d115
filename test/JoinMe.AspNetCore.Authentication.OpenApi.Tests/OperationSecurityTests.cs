namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>
/// Each operation's security requirement and security responses, read from its endpoint's own authorization metadata, for every
/// way of asking for scopes (or for none).
/// </summary>
public sealed class OperationSecurityTests(EveryFormFixture fixture) : IClassFixture<EveryFormFixture>
{
    private const string Anonymous = "(anonymous)";

    [Theory]
    [InlineData("/endpoint-scope", "scheduler")]
    [InlineData("/group/item", "user_info")]
    [InlineData("/group/item-with-its-own-scope", "user_info start_meeting")]
    [InlineData("/attribute", "start_meeting")]
    [InlineData("/named-policy", "start_meeting")]
    [InlineData("/custom-policy", "scheduler user_info")]
    [InlineData("/unknown-scope", "calendar")]
    [InlineData("/controller/attribute", "provisioning")]
    [InlineData("/controller/named-policy", "scheduler")]
    [InlineData("/scoped-controller/action", "user_info scheduler")]
    public void An_operation_that_requires_scopes_lists_exactly_those_and_can_answer_401_403_429_and_503(string path, string scopes)
    {
        var operation = fixture.Document.Operation("GET", path);

        AssertSecurity(operation, scopes);
        Assert.Equal(["401", "403", "429", "503"], operation.SecurityResponses());
    }

    [Theory]
    [InlineData("/signed-in")]
    [InlineData("/controller/convention")]
    public void An_operation_that_needs_only_a_signed_in_user_requires_no_scope_and_cannot_answer_403(string path)
    {
        var operation = fixture.Document.Operation("GET", path);

        AssertSecurity(operation, string.Empty);
        Assert.Equal(["401", "429", "503"], operation.SecurityResponses());
    }

    [Theory]
    [InlineData("/anonymous")]
    [InlineData("/group/open")]
    [InlineData("/controller/anonymous")]
    [InlineData("/other-scheme")]
    public void An_operation_join_me_does_not_guard_has_no_requirement_and_no_security_responses(string path)
    {
        var operation = fixture.Document.Operation("GET", path);

        AssertSecurity(operation, Anonymous);
        Assert.Empty(operation.SecurityResponses());
    }

    [Fact]
    public void The_responses_describe_the_challenges_the_handler_sends()
    {
        // A copy: the fixture's document is shared by the class's tests.
        var responses = fixture.Document.Operation("GET", "/group/item-with-its-own-scope")["responses"]!.DeepClone().AsObject();
        responses.Remove("200");

        OpenApiJson.AssertJsonEqual("""
            {
              "401": {
                "description": "No join.me access token, or one that is malformed, invalid, expired, revoked or issued to another app.",
                "headers": {
                  "WWW-Authenticate": {
                    "description": "The RFC 6750 challenge: Bearer alone when no token was sent, Bearer error=\"invalid_token\" when the token was not accepted.",
                    "schema": { "type": "string" },
                    "example": "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\""
                  }
                }
              },
              "403": {
                "description": "The token is valid but lacks a scope this operation requires (user_info start_meeting).",
                "headers": {
                  "WWW-Authenticate": {
                    "description": "The RFC 6750 challenge naming the missing scopes: Bearer error=\"insufficient_scope\", scope=\"...\".",
                    "schema": { "type": "string" },
                    "example": "Bearer error=\"insufficient_scope\", scope=\"user_info start_meeting\""
                  }
                }
              },
              "429": {
                "description": "Too many new access tokens from this client; try again later. The token was not judged: keep it.",
                "headers": {
                  "Retry-After": {
                    "description": "Seconds until this client may bring a token the API has not seen yet.",
                    "schema": { "type": "integer" }
                  }
                }
              },
              "503": {
                "description": "join.me could not be asked whether the token is valid (unreachable, slow, rate-limited or failing). The token may still be good: keep it and try again later.",
                "headers": {
                  "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": { "type": "integer" },
                    "example": 5
                  }
                }
              }
            }
            """,
            responses);
    }

    [Fact]
    public void A_scope_join_me_does_not_know_is_listed_in_the_flow_after_join_mes_own()
    {
        var scopes = fixture.Document.SecurityScheme()["flows"]!["implicit"]!["scopes"]!.AsObject();

        Assert.Equal(["user_info", "scheduler", "start_meeting", "provisioning", "calendar"], scopes.Select(scope => scope.Key));
        Assert.Equal("A scope this API requires that join.me is not known to grant.", (string?)scopes["calendar"]);
    }

    [Fact]
    public void The_document_is_valid_under_Microsoft_OpenApi_rules()
    {
        var problems = OpenApiValidation.Problems(fixture.Document.ToJsonString());

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    // scopes: space-delimited, empty for a requirement without scopes, or Anonymous for no requirement at all.
    private static void AssertSecurity(JsonObject operation, string scopes)
    {
        var security = operation["security"];
        if (scopes == Anonymous)
        {
            Assert.True(security is null || security.AsArray().Count == 0, security.Show());
            return;
        }

        var expected = new JsonArray(new JsonObject
        {
            ["JoinMe"] = new JsonArray([.. scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(scope => (JsonNode)scope)]),
        });
        Assert.True(JsonNode.DeepEquals(expected, security), $"expected {expected.Show()}, got {security.Show()}");
    }
}
