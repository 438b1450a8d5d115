using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Authentication.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Describes join.me's OAuth 2.0 sign-in in the OpenAPI documents of <c>Microsoft.AspNetCore.OpenApi</c>:
/// <c>builder.Services.AddOpenApi(options =&gt; options.AddJoinMeSecurity())</c>.
/// </summary>
public static class JoinMeOpenApiOptionsExtensions
{
    /// <summary>
    /// Describes the default join.me scheme (<see cref="JoinMeAuthenticationDefaults.AuthenticationScheme"/>);
    /// see <see cref="AddJoinMeSecurity(OpenApiOptions, string)"/>.
    /// </summary>
    /// <param name="options">The options of one OpenAPI document.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static OpenApiOptions AddJoinMeSecurity(this OpenApiOptions options) =>
        options.AddJoinMeSecurity(JoinMeAuthenticationDefaults.AuthenticationScheme);

    /// <summary>
    /// Describes the join.me scheme <paramref name="authenticationScheme"/> in the document:
    /// <list type="bullet">
    /// <item>a security scheme named <paramref name="authenticationScheme"/> of type <c>oauth2</c> with the implicit flow: the
    /// authorization URL is the scheme's <see cref="JoinMeOptions.Authority"/> followed by
    /// <see cref="JoinMeAuthenticationDefaults.AuthorizePath"/>, and the scopes are join.me's four with their descriptions, plus
    /// any other scope an operation requires. When the app itself serves that path (it hosts the join.me emulator,
    /// <c>app.MapJoinMeEmulator()</c>), the URL is the path alone, which OpenAPI resolves against the document's server: the
    /// browser signs in at the app it is looking at, whatever address it reached it by.</item>
    /// <item>on each operation, read from its endpoint's authorization metadata exactly as the authorization middleware reads
    /// it (<c>[Authorize]</c> and named policies through the app's <c>IAuthorizationPolicyProvider</c>, policies such as
    /// <c>RequireScope(...)</c> on endpoints and groups, <c>[RequireScope]</c>, the fallback policy; <c>[AllowAnonymous]</c>
    /// wins): a security requirement listing every scope the operation needs, or no scope when it needs only a signed-in
    /// user. Operations that allow anonymous access, or whose policy authenticates only with other schemes, get none.</item>
    /// <item>on each operation that requires authorization, the answers of the join.me handler: <c>401</c> with its
    /// <c>WWW-Authenticate: Bearer</c> challenge; <c>429</c> with <c>Retry-After</c> when the caller brings more new tokens than
    /// <see cref="JoinMeOptions.MaxCacheMissesPerCallerPerMinute"/> allows (unless that is 0); <c>503</c> with <c>Retry-After</c>
    /// when join.me cannot be asked (unless the scheme's <see cref="JoinMeOptions.UnavailableStatusCode"/> is 401); and, where
    /// scopes are required, <c>403</c> with
    /// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>. An operation that needs only a signed-in user
    /// cannot be refused with 403 by this handler, so it gets no 403. Responses the operation already declares are kept and
    /// given the header.</item>
    /// </list>
    /// Call it once per join.me scheme to describe; calling it twice for the same scheme describes it once.
    /// </summary>
    /// <param name="options">The options of one OpenAPI document.</param>
    /// <param name="authenticationScheme">The name of the join.me scheme, as given to <c>AddJoinMe</c>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static OpenApiOptions AddJoinMeSecurity(this OpenApiOptions options, string authenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);

        options.AddOperationTransformer(new JoinMeOperationSecurityTransformer(authenticationScheme));
        options.AddDocumentTransformer(new JoinMeSecuritySchemeTransformer(authenticationScheme));
        return options;
    }
}
