namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// An application registered with the emulator: its API key and its one registered Callback URL.
/// </summary>
/// <param name="ClientId">The application's API key, sent as <c>client_id</c>.</param>
/// <param name="RedirectUri">
/// The application's Callback URL: an absolute <c>http</c> or <c>https</c> URL without a fragment. The
/// authorize endpoint accepts a <c>redirect_uri</c> only when it is equal to this, character for character.
/// </param>
public sealed record JoinMeEmulatorClient(string ClientId, string RedirectUri);
