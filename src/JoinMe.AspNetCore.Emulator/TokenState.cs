namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// What tokenInfo knows about a token at a given moment.
/// </summary>
internal enum TokenState
{
    /// <summary>Issued, not expired, not revoked (or revoked too recently for tokenInfo to know).</summary>
    Live,

    /// <summary>Never issued by this emulator, or forgotten by <see cref="JoinMeEmulator.Reset"/>.</summary>
    Unknown,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked, and the revocation has reached tokenInfo.</summary>
    Revoked,
}
