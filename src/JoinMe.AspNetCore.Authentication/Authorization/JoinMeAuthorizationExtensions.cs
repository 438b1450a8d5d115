using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>
/// Scope requirements for authorization policies.
/// </summary>
public static class JoinMeAuthorizationExtensions
{
    /// <summary>Requires every one of <paramref name="scopes"/>: <c>policy.RequireScope("scheduler")</c>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="scopes">The scopes; at least one.</param>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new JoinMeScopeRequirement(scopes));
    }

    /// <summary>
    /// Adds one policy per join.me scope, named after it (<c>user_info</c>, <c>scheduler</c>, <c>start_meeting</c>, <c>provisioning</c>),
    /// so that <c>[Authorize(Policy = "start_meeting")]</c> works. A policy of the same name that already exists is left alone.
    /// </summary>
    /// <param name="options">The authorization options.</param>
    /// <param name="authenticationSchemes">The schemes the policies authenticate with; none means the default scheme.</param>
    public static AuthorizationOptions AddJoinMeScopePolicies(this AuthorizationOptions options, params string[] authenticationSchemes)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var scope in JoinMeScopes.All)
        {
            if (options.GetPolicy(scope) is null)
            {
                options.AddPolicy(scope, policy => policy.AddAuthenticationSchemes(authenticationSchemes).RequireScope(scope));
            }
        }

        return options;
    }

    /// <summary>Adds one policy per join.me scope, named after it; see <see cref="AddJoinMeScopePolicies(AuthorizationOptions, string[])"/>.</summary>
    /// <param name="builder">The authorization builder.</param>
    /// <param name="authenticationSchemes">The schemes the policies authenticate with; none means the default scheme.</param>
    public static AuthorizationBuilder AddJoinMeScopePolicies(this AuthorizationBuilder builder, params string[] authenticationSchemes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<AuthorizationOptions>(options => options.AddJoinMeScopePolicies(authenticationSchemes));
        return builder;
    }
}
