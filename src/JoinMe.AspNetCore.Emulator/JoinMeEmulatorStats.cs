namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Counters of what the emulator has served since it was created or last reset.
/// </summary>
/// <param name="TokenInfoCalls">
/// How many tokenInfo requests arrived, over HTTP and through the in-memory backchannel, whatever
/// their outcome (faults and requests without a token count too).
/// </param>
public sealed record JoinMeEmulatorStats(long TokenInfoCalls);
