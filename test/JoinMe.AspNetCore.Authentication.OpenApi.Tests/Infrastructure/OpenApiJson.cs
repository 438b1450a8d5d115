namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>Reading an OpenAPI document as JSON.</summary>
public static class OpenApiJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The operation at <paramref name="method"/> (<c>GET</c>) and <paramref name="path"/>.</summary>
    public static JsonObject Operation(this JsonObject document, string method, string path)
    {
        var item = document["paths"]?[path] ?? throw new KeyNotFoundException($"The document has no path {path}.");
        return item[method.ToLowerInvariant()]?.AsObject() ?? throw new KeyNotFoundException($"The document has no {method} {path}.");
    }

    /// <summary>The security scheme named <paramref name="name"/>.</summary>
    public static JsonObject SecurityScheme(this JsonObject document, string name = "JoinMe") =>
        document["components"]?["securitySchemes"]?[name]?.AsObject() ?? throw new KeyNotFoundException($"The document has no security scheme {name}.");

    /// <summary>The URL where the implicit flow of the security scheme named <paramref name="name"/> signs the user in.</summary>
    public static string? AuthorizationUrl(this JsonObject document, string name = "JoinMe") =>
        (string?)document.SecurityScheme(name)["flows"]?["implicit"]?["authorizationUrl"];

    /// <summary>The status codes the join.me handler answers with (401, 403, 429, 503) that the operation declares.</summary>
    public static string[] SecurityResponses(this JsonObject operation) =>
        [.. operation["responses"]!.AsObject().Select(response => response.Key).Where(IsSecurityResponse)];

    /// <summary>Whether <paramref name="statusCode"/> is one the join.me handler answers with.</summary>
    public static bool IsSecurityResponse(string statusCode) => statusCode is "401" or "403" or "429" or "503";

    /// <summary>The JSON, indented, for comparisons whose failure shows both sides.</summary>
    public static string Show(this JsonNode? node) => node?.ToJsonString(Indented) ?? "(none)";

    /// <summary>Asserts that <paramref name="actual"/> is the JSON <paramref name="expected"/>, showing it when it is not.</summary>
    public static void AssertJsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected).Show()}, got {actual.Show()}");
}
