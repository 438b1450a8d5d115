namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// A token in the emulator's store, with when it was revoked, if it was.
/// </summary>
internal sealed class IssuedToken(JoinMeEmulatorToken token)
{
    public JoinMeEmulatorToken Token { get; } = token;

    /// <summary>When <see cref="JoinMeEmulator.RevokeToken"/> was first called for the token.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
