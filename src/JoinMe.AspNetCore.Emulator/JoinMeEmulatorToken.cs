using System.Globalization;
using System.Text;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// An access token the emulator issued. Its <see cref="ToString"/> leaves the token out, so that logging or asserting on the
/// record never writes it.
/// </summary>
/// <param name="AccessToken">The bearer token: 24 characters of <c>23456789abcdefghjkmnpqrstuvwxyz</c>, from a CSPRNG.</param>
/// <param name="ClientId">The API key the token was issued to.</param>
/// <param name="Scopes">The scopes the token grants, in the order requested, without duplicates.</param>
/// <param name="ExpiresAt">When the token expires, on the emulator's <see cref="TimeProvider"/>.</param>
public sealed record JoinMeEmulatorToken(string AccessToken, string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    /// <summary>The granted scopes as join.me writes them: space-delimited.</summary>
    public string Scope => string.Join(' ', Scopes);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"ClientId = {ClientId}, Scope = {Scope}, ExpiresAt = {ExpiresAt:O}");
        return true;
    }
}
