using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>
/// What an endpoint asks of a join.me scheme's user, found from its metadata the way ASP.NET Core's authorization middleware
/// finds its policy: <see cref="AuthorizationPolicy.CombineAsync(IAuthorizationPolicyProvider, IEnumerable{IAuthorizeData}, IEnumerable{AuthorizationPolicy})"/>
/// over the <see cref="IAuthorizeData"/> and <see cref="AuthorizationPolicy"/> metadata (named policies and the fallback policy
/// resolved by the app's own policy provider), then the requirements of every <see cref="IAuthorizationRequirementData"/>;
/// <see cref="IAllowAnonymous"/> wins.
/// </summary>
internal static class EndpointAuthorization
{
    /// <summary>
    /// The scopes the endpoint requires of <paramref name="authenticationScheme"/>'s user (empty when it needs only a signed-in
    /// user), or <see langword="null"/> when the endpoint allows anonymous access or authenticates only with other schemes.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> RequiredScopesAsync(
        IReadOnlyList<object> metadata, IServiceProvider services, string authenticationScheme)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        var policy = await CombinePolicyAsync(metadata, services).ConfigureAwait(false);
        if (policy is null || !await AuthenticatesWithAsync(policy, services, authenticationScheme).ConfigureAwait(false))
        {
            return null;
        }

        return [.. policy.Requirements.OfType<JoinMeScopeRequirement>().SelectMany(requirement => requirement.Scopes).Distinct(StringComparer.Ordinal)];
    }

    private static async Task<AuthorizationPolicy?> CombinePolicyAsync(IReadOnlyList<object> metadata, IServiceProvider services)
    {
        var policyProvider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(
            policyProvider, [.. metadata.OfType<IAuthorizeData>()], [.. metadata.OfType<AuthorizationPolicy>()]).ConfigureAwait(false);

        var requirements = metadata.OfType<IAuthorizationRequirementData>().SelectMany(data => data.GetRequirements()).ToArray();
        if (requirements.Length == 0)
        {
            return policy;
        }

        var requirementPolicy = new AuthorizationPolicyBuilder().AddRequirements(requirements).Build();
        return policy is null ? requirementPolicy : AuthorizationPolicy.Combine(policy, requirementPolicy);
    }

    // A policy without schemes authenticates with the app's default scheme, as the policy evaluator does.
    private static async Task<bool> AuthenticatesWithAsync(AuthorizationPolicy policy, IServiceProvider services, string authenticationScheme)
    {
        if (policy.AuthenticationSchemes.Count > 0)
        {
            return policy.AuthenticationSchemes.Contains(authenticationScheme, StringComparer.Ordinal);
        }

        var schemes = services.GetService<IAuthenticationSchemeProvider>();
        var defaultScheme = schemes is null ? null : await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false);
        return defaultScheme is null || string.Equals(defaultScheme.Name, authenticationScheme, StringComparison.Ordinal);
    }
}
