namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>The scopes that scope requirements found missing on this request, for the 403's <c>scope</c> attribute.</summary>
internal sealed record InsufficientScopeFeature(IReadOnlyList<string> MissingScopes);
