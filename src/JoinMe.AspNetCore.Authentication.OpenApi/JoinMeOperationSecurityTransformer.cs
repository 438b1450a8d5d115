namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>
/// Gives each operation that a join.me scheme protects its security requirement (the scopes it needs) and the handler's
/// 401, 403, 429 and 503 answers.
/// </summary>
internal sealed class JoinMeOperationSecurityTransformer(string authenticationScheme) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);

        var services = context.ApplicationServices;
        var metadata = ApiDescriptionMetadata.Of(context.Description, services);
        var scopes = await EndpointAuthorization.RequiredScopesAsync(metadata, services, authenticationScheme).ConfigureAwait(false);
        if (scopes is null)
        {
            return;
        }

        operation.Security ??= [];
        if (operation.Security.Any(requirement => requirement.Keys.Any(key => key.Reference.Id == authenticationScheme)))
        {
            return;
        }

        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(authenticationScheme, context.Document)] = [.. scopes],
        });

        var options = services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(authenticationScheme);
        JoinMeSecurityResponses.AddTo(operation, options, scopes);
    }
}
