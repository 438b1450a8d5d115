namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The fault the emulator's tokenInfo endpoint currently shows.
/// </summary>
/// <param name="Mode">How tokenInfo misbehaves.</param>
/// <param name="Delay">How long tokenInfo waits before answering in <see cref="JoinMeEmulatorFaultMode.Slow"/> mode; zero otherwise.</param>
public sealed record JoinMeEmulatorFault(JoinMeEmulatorFaultMode Mode, TimeSpan Delay)
{
    /// <summary>No fault: tokenInfo answers normally.</summary>
    public static JoinMeEmulatorFault None { get; } = new(JoinMeEmulatorFaultMode.None, TimeSpan.Zero);
}
