using System.Globalization;
using System.Security.Claims;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Builds the principal of a valid token: a new one per request, since user code may change it.</summary>
internal static class JoinMePrincipal
{
    public static ClaimsPrincipal Create(JoinMeTokenInfo tokenInfo, string scheme, string issuer)
    {
        var identity = new ClaimsIdentity(scheme, ClaimsIdentity.DefaultNameClaimType, ClaimsIdentity.DefaultRoleClaimType);
        identity.AddClaim(new Claim(JoinMeClaimTypes.ClientId, tokenInfo.ClientId!, ClaimValueTypes.String, issuer, issuer, identity));
        foreach (var scope in tokenInfo.Scopes)
        {
            identity.AddClaim(new Claim(JoinMeClaimTypes.Scope, scope, ClaimValueTypes.String, issuer, issuer, identity));
        }

        if (tokenInfo.ExpiresAt is { } expiresAt)
        {
            identity.AddClaim(new Claim(JoinMeClaimTypes.ExpiresAt, expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), ClaimValueTypes.DateTime, issuer, issuer, identity));
        }

        return new ClaimsPrincipal(identity);
    }
}
