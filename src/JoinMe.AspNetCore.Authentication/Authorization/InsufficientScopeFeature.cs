namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>The scopes that scope requirements found missing on this request, for the 403's <c>scope</c> attribute.</summary>
internal sealed class InsufficientScopeFeature
{
    public List<string> MissingScopes { get; } = [];

    public void Add(IEnumerable<string> scopes)
    {
        foreach (var scope in scopes)
        {
            if (!MissingScopes.Contains(scope, StringComparer.Ordinal))
            {
                MissingScopes.Add(scope);
            }
        }
    }
}
