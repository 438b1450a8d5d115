namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>
/// Adds a join.me scheme's security scheme to the document: OAuth 2.0's implicit flow at the scheme's authorize endpoint, with
/// join.me's scopes and any other scope an operation requires. Runs after the operation transformers, so it sees their scopes.
/// </summary>
internal sealed class JoinMeSecuritySchemeTransformer(string authenticationScheme) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);

        var services = context.ApplicationServices;
        var options = services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(authenticationScheme);
        var scheme = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = $"join.me OAuth 2.0 access token, sent as Authorization: Bearer and checked with join.me's tokenInfo (scheme '{authenticationScheme}').",
            Flows = new OpenApiOAuthFlows
            {
                Implicit = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = JoinMeAuthorizationUrl.For(options, services),
                    Scopes = JoinMeScopeDescriptions.For(RequiredScopes(document)),
                },
            },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[authenticationScheme] = scheme;
        return Task.CompletedTask;
    }

    private IEnumerable<string> RequiredScopes(OpenApiDocument document) =>
        from path in document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()
        from operation in path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()
        from requirement in operation.Security ?? []
        from entry in requirement
        where entry.Key.Reference.Id == authenticationScheme
        from scope in entry.Value
        select scope;
}
