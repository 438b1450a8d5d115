using System.Security.Cryptography;
using System.Text;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The consent tickets waiting for an answer: thread-safe, bounded, and expiring on the emulator's clock.
/// </summary>
internal sealed class ConsentTicketStore(TimeProvider timeProvider)
{
    /// <summary>How long a consent form can be answered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How many unanswered consent forms are kept; the oldest is dropped beyond this.</summary>
    public const int Capacity = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConsentTicket> _tickets = new(StringComparer.Ordinal);

    /// <summary>Keeps a validated authorize request and returns the ticket that names it.</summary>
    public ConsentTicket Issue(string browserBinding, string clientId, string redirectUri, IReadOnlyList<string> scopes, string? state)
    {
        var now = timeProvider.GetUtcNow();
        var ticket = new ConsentTicket(
            AccessTokenGenerator.NewOpaqueValue(), browserBinding, clientId, redirectUri, scopes, state, now + Lifetime);

        lock (_lock)
        {
            foreach (var expired in _tickets.Values.Where(t => t.ExpiresAt <= now).Select(t => t.Id).ToList())
            {
                _tickets.Remove(expired);
            }

            if (_tickets.Count >= Capacity)
            {
                _tickets.Remove(_tickets.Values.MinBy(t => t.ExpiresAt)!.Id);
            }

            _tickets.Add(ticket.Id, ticket);
        }

        return ticket;
    }

    /// <summary>
    /// Uses up the ticket <paramref name="ticketId"/> if it exists, has not expired and was issued to the
    /// browser that sent <paramref name="browserBinding"/>. A ticket sent by another browser stays usable
    /// by its own.
    /// </summary>
    public ConsentRedemption Redeem(string? ticketId, string? browserBinding, out ConsentTicket? ticket)
    {
        ticket = null;
        if (string.IsNullOrEmpty(ticketId))
        {
            return ConsentRedemption.Unknown;
        }

        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_tickets.TryGetValue(ticketId, out var found))
            {
                return ConsentRedemption.Unknown;
            }

            if (found.ExpiresAt <= now)
            {
                _tickets.Remove(ticketId);
                return ConsentRedemption.Expired;
            }

            if (browserBinding is null || !CryptographicOperations.FixedTimeEquals(
                    Encoding.UTF8.GetBytes(found.BrowserBinding), Encoding.UTF8.GetBytes(browserBinding)))
            {
                return ConsentRedemption.WrongBrowser;
            }

            _tickets.Remove(ticketId);
            ticket = found;
            return ConsentRedemption.Redeemed;
        }
    }

    /// <summary>Forgets every ticket.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _tickets.Clear();
        }
    }
}
