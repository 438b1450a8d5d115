namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Checks of client registrations and scope names shared by the options, the C# API and the admin API.
/// </summary>
internal static class JoinMeEmulatorValidation
{
    /// <summary>The longest client id or Callback URL the emulator accepts.</summary>
    public const int MaxLength = 2048;

    /// <summary>The most Callback URLs one client may have.</summary>
    public const int MaxRedirectUris = 32;

    /// <summary>
    /// Tells whether <paramref name="scope"/> is a scope name as RFC 6749 (section 3.3) defines it:
    /// one or more of <c>%x21 / %x23-5B / %x5D-7E</c>.
    /// </summary>
    public static bool IsScopeName(string? scope)
    {
        if (string.IsNullOrEmpty(scope) || scope.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in scope)
        {
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Describes what is wrong with a client registration, or returns <see langword="null"/> when it is valid: a client id,
    /// and from one to <see cref="MaxRedirectUris"/> Callback URLs.
    /// </summary>
    public static string? ValidateClient(string? clientId, IReadOnlyCollection<string?>? redirectUris)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            return "client_id is required and must not be blank.";
        }

        if (clientId.Length > MaxLength || !IsVisibleAscii(clientId))
        {
            return $"client_id must be at most {MaxLength} visible ASCII characters, without spaces.";
        }

        if (redirectUris is null || redirectUris.Count == 0)
        {
            return $"redirect_uri is required for client '{clientId}': the application's Callback URL.";
        }

        if (redirectUris.Count > MaxRedirectUris)
        {
            return $"Client '{clientId}' has {redirectUris.Count} Callback URLs; the emulator keeps at most {MaxRedirectUris} per client.";
        }

        foreach (var redirectUri in redirectUris)
        {
            if (ValidateRedirectUri(clientId, redirectUri) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Describes what is wrong with one Callback URL of <paramref name="clientId"/>, or returns <see langword="null"/>.</summary>
    public static string? ValidateRedirectUri(string clientId, string? redirectUri)
    {
        if (string.IsNullOrWhiteSpace(redirectUri))
        {
            return $"redirect_uri is required for client '{clientId}': the application's Callback URL.";
        }

        if (redirectUri.Length > MaxLength || !IsVisibleAscii(redirectUri))
        {
            return $"redirect_uri '{redirectUri}' must be at most {MaxLength} visible ASCII characters; percent-encode anything else.";
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"redirect_uri '{redirectUri}' must be an absolute http or https URL.";
        }

        if (redirectUri.Contains('#', StringComparison.Ordinal))
        {
            return $"redirect_uri '{redirectUri}' must not contain a fragment (#): the emulator puts its answer there.";
        }

        return null;
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x21 || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
