using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>The sample's <c>/openapi/v1.json</c> and its API reference at <c>/scalar</c>, in Development (with its emulator).</summary>
public sealed partial class SampleDocumentTests : IAsyncDisposable
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplicationFactory<Program> _factory = new();
    private readonly HttpClient _client;

    public SampleDocumentTests() => _client = _factory.CreateClient();

    [Fact]
    public async Task The_security_scheme_and_each_operations_requirement_and_answers_are_as_approved()
    {
        var document = JsonNode.Parse(await GetDocumentJsonAsync())!.AsObject();

        Snapshot.Verify("sample-openapi-security", SecurityParts(document).ToJsonString(Readable));
    }

    [Fact]
    public async Task The_document_is_valid_under_Microsoft_OpenApi_rules()
    {
        var problems = OpenApiValidation.Problems(await GetDocumentJsonAsync());

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Scalar_signs_in_with_the_implicit_flow_as_the_demo_client_asking_for_the_apis_scopes()
    {
        var page = await _client.GetStringAsync(new Uri("/scalar/", UriKind.Relative), TestContext.Current.CancellationToken);

        var configuration = JsonNode.Parse(ScalarConfiguration().Match(page).Groups["configuration"].Value)!;
        OpenApiJson.AssertJsonEqual("""
            {
              "preferredSecurityScheme": ["JoinMe"],
              "securitySchemes": {
                "JoinMe": {
                  "flows": {
                    "implicit": {
                      "x-scalar-redirect-uri": "/oauth2-callback.html",
                      "selectedScopes": ["user_info", "scheduler", "start_meeting"],
                      "x-scalar-client-id": "demo-client"
                    }
                  }
                }
              }
            }
            """,
            configuration["authentication"]);
    }

    [Fact]
    public async Task The_page_Scalars_sign_in_returns_to_runs_no_script_and_so_leaves_the_token_in_the_fragment_for_Scalar()
    {
        using var response = await _client.GetAsync(new Uri("/oauth2-callback.html", UriKind.Relative), TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emulators_demo_client_accepts_the_page_Scalars_sign_in_returns_to()
    {
        // Scalar resolves /oauth2-callback.html against the document's server, here http://localhost/.
        var authorize = "/api/public/v1/auth/oauth2?response_type=token&client_id=demo-client&scope=scheduler&redirect_uri="
            + Uri.EscapeDataString("http://localhost/oauth2-callback.html");

        using var response = await _client.GetAsync(new Uri(authorize, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"allow\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<string> GetDocumentJsonAsync() =>
        _client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);

    // The security scheme, and every operation's requirement and 401/403/429/503 answers, with object keys in ordinal order.
    private static JsonNode SecurityParts(JsonObject document)
    {
        var operations = new JsonObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(entry => Methods.Contains(entry.Key)))
            {
                operations[$"{method.ToUpperInvariant()} {path}"] = new JsonObject
                {
                    ["security"] = operation!["security"]?.DeepClone() ?? new JsonArray(),
                    ["responses"] = new JsonObject(operation["responses"]!.AsObject()
                        .Where(response => OpenApiJson.IsSecurityResponse(response.Key))
                        .Select(response => KeyValuePair.Create(response.Key, response.Value?.DeepClone()))),
                };
            }
        }

        return Sorted(new JsonObject
        {
            ["securitySchemes"] = document["components"]!["securitySchemes"]!.DeepClone(),
            ["operations"] = operations,
        })!;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => KeyValuePair.Create(entry.Key, Sorted(entry.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    // Scalar.AspNetCore writes its configuration as the third argument of initialize(...) in the page.
    [GeneratedRegex(@"initialize\(\s*'[^']*',\s*(?:true|false),\s*(?<configuration>\{.*\}),\s*'", RegexOptions.Singleline)]
    private static partial Regex ScalarConfiguration();
}
