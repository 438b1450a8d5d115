namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// An application registered with the emulator: its API key and its registered Callback URLs. Immutable; two registrations
/// are equal when their client ids and Callback URLs (in order) are.
/// </summary>
/// <remarks>
/// The authorize endpoint accepts a <c>redirect_uri</c> only when it is equal, character for character, to one of
/// <see cref="RedirectUris"/>. Several are useful when more than one page signs in with the same client (an app's own page
/// and an OpenAPI UI's callback page, say).
/// </remarks>
public sealed class JoinMeEmulatorClient : IEquatable<JoinMeEmulatorClient>
{
    /// <summary>
    /// Describes an application with one Callback URL.
    /// </summary>
    /// <param name="clientId">The application's API key, sent as <c>client_id</c>.</param>
    /// <param name="redirectUri">Its Callback URL: an absolute <c>http</c> or <c>https</c> URL without a fragment.</param>
    public JoinMeEmulatorClient(string clientId, string redirectUri)
        : this(clientId, [redirectUri])
    {
    }

    /// <summary>
    /// Describes an application with one or more Callback URLs.
    /// </summary>
    /// <param name="clientId">The application's API key, sent as <c>client_id</c>.</param>
    /// <param name="redirectUris">Its Callback URLs, each an absolute <c>http</c> or <c>https</c> URL without a fragment; duplicates are dropped.</param>
    public JoinMeEmulatorClient(string clientId, IEnumerable<string> redirectUris)
    {
        ArgumentNullException.ThrowIfNull(redirectUris);
        ClientId = clientId;
        RedirectUris = redirectUris.Distinct(StringComparer.Ordinal).ToList().AsReadOnly();
    }

    /// <summary>The application's API key, sent as <c>client_id</c>.</summary>
    public string ClientId { get; }

    /// <summary>The application's Callback URLs, in the order they were registered.</summary>
    public IReadOnlyList<string> RedirectUris { get; }

    /// <summary>The application's first Callback URL (its only one, when it has one).</summary>
    public string RedirectUri => RedirectUris.Count > 0 ? RedirectUris[0] : string.Empty;

    /// <inheritdoc />
    public bool Equals(JoinMeEmulatorClient? other) =>
        other is not null
        && string.Equals(ClientId, other.ClientId, StringComparison.Ordinal)
        && RedirectUris.SequenceEqual(other.RedirectUris, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as JoinMeEmulatorClient);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ClientId, StringComparer.Ordinal);
        foreach (var uri in RedirectUris)
        {
            hash.Add(uri, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"{ClientId} -> {string.Join(", ", RedirectUris)}";

    /// <summary>The same client with one more Callback URL (or itself, when it has it already).</summary>
    internal JoinMeEmulatorClient With(string redirectUri) =>
        RedirectUris.Contains(redirectUri, StringComparer.Ordinal) ? this : new JoinMeEmulatorClient(ClientId, [.. RedirectUris, redirectUri]);
}
