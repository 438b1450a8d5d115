using System.Security.Claims;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Builds the principal of a valid token: a new one per request, since user code may change it.</summary>
internal static class JoinMePrincipalFactory
{
    public static ClaimsPrincipal Create(JoinMeTokenValidationResult result, string scheme, string issuer)
    {
        var tokenInfo = result.TokenInfo!;
        var identity = new ClaimsIdentity(scheme, ClaimsIdentity.DefaultNameClaimType, ClaimsIdentity.DefaultRoleClaimType);
        identity.AddClaim(new Claim(JoinMeClaimTypes.ClientId, tokenInfo.ClientId!, ClaimValueTypes.String, issuer, issuer, identity));

        // Indexed, not foreach: enumerating an IReadOnlyList allocates an enumerator on every request.
        var scopes = tokenInfo.Scopes;
        for (var i = 0; i < scopes.Count; i++)
        {
            identity.AddClaim(new Claim(JoinMeClaimTypes.Scope, scopes[i], ClaimValueTypes.String, issuer, issuer, identity));
        }

        // Claims are new per request (user code may change them); their values are immutable strings, formatted once per result.
        if (result.ExpiresAtClaimValue is { } expiresAt)
        {
            identity.AddClaim(new Claim(JoinMeClaimTypes.ExpiresAt, expiresAt, ClaimValueTypes.DateTime, issuer, issuer, identity));
        }

        return new ClaimsPrincipal(identity);
    }
}
