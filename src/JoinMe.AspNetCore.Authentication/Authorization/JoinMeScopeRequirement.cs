using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Filters;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Requires every one of <see cref="Scopes"/>. A scope counts when the user has a <c>scope</c> claim with that value, or a single
/// <c>scope</c> claim listing it among space-delimited values (as other schemes issue). When a scope is missing, the 403 names it in
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>.
/// </summary>
public sealed class JoinMeScopeRequirement : AuthorizationHandler<JoinMeScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>Creates a requirement of all of <paramref name="scopes"/>.</summary>
    /// <param name="scopes">The scopes; at least one, none empty or containing white space.</param>
    /// <exception cref="ArgumentException">No scope, or a scope that is empty or contains white space.</exception>
    public JoinMeScopeRequirement(params IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Scopes = scopes.Distinct(StringComparer.Ordinal).ToArray();
        if (Scopes.Count == 0)
        {
            throw new ArgumentException("A scope requirement needs at least one scope, such as \"scheduler\".", nameof(scopes));
        }

        if (Scopes.FirstOrDefault(scope => string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace)) is { } wrong)
        {
            throw new ArgumentException(
                $"'{wrong}' is not a scope name: scope names are not empty and contain no white space. Pass each scope separately.", nameof(scopes));
        }
    }

    /// <summary>The scopes required, all of them.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>Whether <paramref name="user"/> holds <paramref name="scope"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="scope">The scope.</param>
    public static bool HasScope(ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(claim => claim.Type == JoinMeClaimTypes.Scope && ListsScope(claim.Value, scope));
    }

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, JoinMeScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var missing = requirement.Scopes.Where(scope => !HasScope(context.User, scope)).ToList();
        if (missing.Count == 0)
        {
            context.Succeed(requirement);
        }
        else if (HttpContextOf(context.Resource) is { } httpContext)
        {
            // For the 403's scope="...": every scope any requirement of the request found missing, once.
            var recorded = httpContext.Features.Get<InsufficientScopeFeature>()?.MissingScopes ?? [];
            httpContext.Features.Set(new InsufficientScopeFeature([.. recorded.Union(missing, StringComparer.Ordinal)]));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"JoinMeScopeRequirement: requires the scope(s) {string.Join(' ', Scopes)}";

    private static bool ListsScope(string value, string scope)
    {
        foreach (var range in value.AsSpan().Split(' '))
        {
            if (value.AsSpan(range).SequenceEqual(scope))
            {
                return true;
            }
        }

        return false;
    }

    private static HttpContext? HttpContextOf(object? resource) => resource switch
    {
        HttpContext httpContext => httpContext,
        AuthorizationFilterContext filterContext => filterContext.HttpContext,
        _ => null,
    };
}
