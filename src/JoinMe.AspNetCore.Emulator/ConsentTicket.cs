namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// A validated authorize request waiting for the user's Allow or Deny, kept server-side. The consent
/// form carries only the ticket's id; the ticket is bound to the browser the form was shown in
/// (through a SameSite=Strict cookie), expires, and can be redeemed once.
/// </summary>
internal sealed record ConsentTicket(
    string Id,
    string BrowserBinding,
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? State,
    DateTimeOffset ExpiresAt);
