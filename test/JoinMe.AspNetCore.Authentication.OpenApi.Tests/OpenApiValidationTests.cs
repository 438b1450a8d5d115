namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>The validation the document tests rely on has teeth: it reports what a broken security description gets wrong.</summary>
public sealed class OpenApiValidationTests
{
    [Fact]
    public void A_security_response_without_a_description_is_reported()
    {
        var problems = OpenApiValidation.Problems(Document(
            operation: """{ "responses": { "401": { } }, "security": [{ "JoinMe": [] }] }"""));

        Assert.Contains(problems, problem => problem.Contains("description", StringComparison.Ordinal));
    }

    [Fact]
    public void A_requirement_naming_an_undeclared_scheme_is_reported()
    {
        var problems = OpenApiValidation.Problems(Document(
            operation: """{ "responses": { "200": { "description": "OK" } }, "security": [{ "Nope": [] }] }"""));

        Assert.Equal(["GET /a: security requirement 'Nope' names no declared oauth2 security scheme"], problems);
    }

    [Fact]
    public void A_requirement_asking_for_an_undeclared_scope_is_reported()
    {
        var problems = OpenApiValidation.Problems(Document(
            operation: """{ "responses": { "200": { "description": "OK" } }, "security": [{ "JoinMe": ["calendar"] }] }"""));

        Assert.Equal(["GET /a: security requirement 'JoinMe' asks for the scope 'calendar', which no flow of the scheme declares"], problems);
    }

    [Fact]
    public void A_sound_document_has_no_problem()
    {
        var problems = OpenApiValidation.Problems(Document(
            operation: """{ "responses": { "200": { "description": "OK" } }, "security": [{ "JoinMe": ["scheduler"] }] }"""));

        Assert.Empty(problems);
    }

    private static string Document(string operation) => $$"""
        {
          "openapi": "3.1.1",
          "info": { "title": "test", "version": "1" },
          "paths": { "/a": { "get": {{operation}} } },
          "components": {
            "securitySchemes": {
              "JoinMe": { "type": "oauth2", "flows": { "implicit": { "authorizationUrl": "https://secure.join.me/api/public/v1/auth/oauth2", "scopes": { "scheduler": "Meetings." } } } }
            }
          }
        }
        """;
}
