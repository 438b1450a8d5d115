namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The unit of <c>expires_in</c> in the fragment the authorize endpoint redirects to.
/// join.me's documentation shows <c>expires_in=1440</c> for a token that lives 24 hours, so its unit
/// looks like minutes, against RFC 6749's seconds.
/// </summary>
public enum JoinMeExpiresInUnit
{
    /// <summary>Whole minutes, as join.me's documented example suggests (<c>1440</c> for 24 hours). The default.</summary>
    Minutes = 0,

    /// <summary>Whole seconds, as RFC 6749 specifies (<c>86400</c> for 24 hours).</summary>
    Seconds = 1,
}
