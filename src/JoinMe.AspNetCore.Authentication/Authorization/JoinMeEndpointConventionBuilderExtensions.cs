namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Scope requirements for endpoints: <c>app.MapGet("/meetings", ...).RequireScope("scheduler")</c>.
/// </summary>
public static class JoinMeEndpointConventionBuilderExtensions
{
    /// <summary>Requires an authenticated user holding every one of <paramref name="scopes"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint(s).</param>
    /// <param name="scopes">The scopes; at least one.</param>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var policy = new AuthorizationPolicyBuilder().RequireScope(scopes).Build();
        return builder.RequireAuthorization(policy);
    }
}
