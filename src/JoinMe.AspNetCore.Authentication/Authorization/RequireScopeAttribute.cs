namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Requires the listed scopes, all of them, on a controller, an action or a minimal API handler: <c>[RequireScope("scheduler")]</c>.
/// Several attributes add up.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireScopeAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly JoinMeScopeRequirement _requirement;

    /// <summary>Requires <paramref name="scopes"/>.</summary>
    /// <param name="scopes">The scopes; at least one.</param>
    public RequireScopeAttribute(params string[] scopes)
    {
        _requirement = new JoinMeScopeRequirement(scopes);
    }

    /// <summary>The scopes required.</summary>
    public IReadOnlyList<string> Scopes => _requirement.Scopes;

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        yield return _requirement;
    }
}
