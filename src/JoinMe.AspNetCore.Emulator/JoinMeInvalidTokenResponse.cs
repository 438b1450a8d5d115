namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// How the emulator's tokenInfo endpoint answers for a token that is unknown, expired or revoked.
/// Both styles have been seen from join.me for a stale token.
/// </summary>
public enum JoinMeInvalidTokenResponse
{
    /// <summary>
    /// <c>401 Unauthorized</c> with a JSON body in join.me's API style:
    /// <c>{"Message": "...", "ErrorCode": "invalid_token"}</c> (<c>stale_token</c> for an expired or revoked token). The default.
    /// </summary>
    Unauthorized = 0,

    /// <summary>
    /// <c>403 Forbidden</c> as join.me's API gateway answers: <c>WWW-Authenticate: Bearer realm="api.join.me", error="invalid_token"</c>
    /// and <c>X-Mashery-Error-Code: ERR_403_NOT_AUTHORIZED</c>, which is not a rate-limit marker.
    /// </summary>
    GatewayForbidden = 1,
}
