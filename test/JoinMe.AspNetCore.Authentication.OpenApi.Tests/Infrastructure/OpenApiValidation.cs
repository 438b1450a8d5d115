using Microsoft.OpenApi;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>
/// Microsoft.OpenApi's own judgement of a document: its reader's diagnostics and its validator's default rules. Those rules do not
/// look into security requirements, so the document model that reader builds is also asked whether each requirement names a
/// declared oauth2 scheme and only scopes that scheme's flows declare.
/// </summary>
public static class OpenApiValidation
{
    /// <summary>Every error and warning, one a line, or none.</summary>
    public static IReadOnlyList<string> Problems(string json)
    {
        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json);
        var problems = new List<string>();
        problems.AddRange(read.Diagnostic?.Errors.Select(error => $"reader error: {error}") ?? []);
        problems.AddRange(read.Diagnostic?.Warnings.Select(warning => $"reader warning: {warning}") ?? []);
        if (read.Document is null)
        {
            problems.Add("the reader made no document");
            return problems;
        }

        var validator = new OpenApiValidator(ValidationRuleSet.GetDefaultRuleSet());
        new OpenApiWalker(validator).Walk(read.Document);
        problems.AddRange(validator.Errors.Select(error => $"validation error: {error}"));
        problems.AddRange(validator.Warnings.Select(warning => $"validation warning: {warning}"));
        problems.AddRange(SecurityRequirementProblems(read.Document));
        return problems;
    }

    private static IEnumerable<string> SecurityRequirementProblems(OpenApiDocument document)
    {
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                foreach (var (scheme, scopes) in (operation.Security ?? []).SelectMany(requirement => requirement))
                {
                    var where = $"{method} {path}: security requirement '{scheme.Reference.Id}'";
                    if (scheme.Target is not { Type: SecuritySchemeType.OAuth2, Flows: { } flows })
                    {
                        yield return $"{where} names no declared oauth2 security scheme";
                        continue;
                    }

                    var declared = new[] { flows.Implicit, flows.AuthorizationCode, flows.ClientCredentials, flows.Password }
                        .SelectMany(flow => flow?.Scopes?.Keys ?? []).ToHashSet(StringComparer.Ordinal);
                    foreach (var scope in scopes.Where(scope => !declared.Contains(scope)))
                    {
                        yield return $"{where} asks for the scope '{scope}', which no flow of the scheme declares";
                    }
                }
            }
        }
    }
}
