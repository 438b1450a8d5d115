namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The outcome of redeeming a consent ticket.
/// </summary>
internal enum ConsentRedemption
{
    /// <summary>The ticket was valid for this browser and is now used up.</summary>
    Redeemed,

    /// <summary>No ticket was sent, or it was never issued, already used, or forgotten by a reset.</summary>
    Unknown,

    /// <summary>The ticket is older than <see cref="ConsentTicketStore.Lifetime"/>.</summary>
    Expired,

    /// <summary>The ticket was issued to another browser: a cross-site or replayed form post.</summary>
    WrongBrowser,
}
