using System.Globalization;
using System.Text;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Testing;

/// <summary>
/// join.me's authorize endpoint for the implicit grant: <c>GET</c> validates the request before any
/// consent and shows the consent page (or the error page); <c>POST</c> takes the user's answer and
/// redirects to the client's Callback URL with the result in the fragment.
/// </summary>
/// <remarks>
/// Cross-site form posts are refused with a one-time consent ticket kept server-side and bound to the
/// browser through a <c>SameSite=Strict</c>, <c>HttpOnly</c> cookie: the form carries only the
/// ticket, so the client, Callback URL, scopes and state cannot be changed between the two requests.
/// </remarks>
internal static class AuthorizeEndpoint
{
    /// <summary>The cookie that binds consent tickets to the browser they were shown in.</summary>
    public const string BrowserCookieName = "JoinMeEmulator.Browser";

    /// <summary>Validates an authorize request, then shows the consent page or the error page.</summary>
    public static async Task ShowConsentAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var query = context.Request.Query;
        var problems = new List<string>();

        var responseType = ReadRequired(query, "response_type", problems,
            "The response_type parameter is missing: it must be 'token' (the implicit grant).");
        if (responseType is not null && !string.Equals(responseType, "token", StringComparison.Ordinal))
        {
            problems.Add($"The response_type '{responseType}' is not supported: it must be 'token' (the implicit grant).");
        }

        var clientId = ReadRequired(query, "client_id", problems,
            "The client_id parameter is missing: it must be your application's API key.");
        JoinMeEmulatorClient? client = null;
        if (clientId is not null && !emulator.TryGetClient(clientId, out client))
        {
            problems.Add($"The client_id '{clientId}' is not a registered application.");
        }

        var redirectUri = ReadRequired(query, "redirect_uri", problems,
            "The redirect_uri parameter is missing: it must be your application's registered Callback URL.");
        if (redirectUri is not null && client is not null && !emulator.RedirectUrisOf(client).Contains(redirectUri, StringComparer.Ordinal))
        {
            problems.Add($"The redirect_uri '{redirectUri}' is not the Callback URL registered for the client '{client.ClientId}' ('{string.Join("', '", emulator.RedirectUrisOf(client))}'); they must be equal, character for character.");
        }

        var scope = ReadRequired(query, "scope", problems,
            $"The scope parameter is missing or empty: ask for one or more of {KnownScopes(emulator)}, space-delimited.");
        var scopes = new List<string>();
        foreach (var name in scope is null ? [] : JoinMeEmulator.SplitScope(scope))
        {
            if (!emulator.IsKnownScope(name))
            {
                problems.Add($"The scope '{name}' is not known: ask for {KnownScopes(emulator)}.");
            }
            else if (!scopes.Contains(name, StringComparer.Ordinal))
            {
                scopes.Add(name);
            }
        }

        var states = query["state"];
        if (states.Count > 1)
        {
            problems.Add("The state parameter is given more than once.");
        }

        var state = states.Count == 1 ? states.ToString() : null;

        if (problems.Count > 0)
        {
            await EmulatorPages.WriteErrorPageAsync(context.Response, problems).ConfigureAwait(false);
            return;
        }

        var ticket = emulator.ConsentTickets.Issue(BindBrowser(context), client!.ClientId, redirectUri!, scopes.AsReadOnly(), state);
        await EmulatorPages.WriteConsentPageAsync(context.Response, ticket, FormAction(context)).ConfigureAwait(false);
    }

    /// <summary>Takes the user's Allow or Deny and redirects to the client's Callback URL.</summary>
    public static async Task AnswerConsentAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var request = context.Request;
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, "A cross-site form post is refused: answer on the consent page itself.").ConfigureAwait(false);
            return;
        }

        if (!request.HasFormContentType)
        {
            await RefuseAsync(context, "The consent answer must be a form post (application/x-www-form-urlencoded) from the consent page.").ConfigureAwait(false);
            return;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            await RefuseAsync(context, "The consent answer is not a readable form.").ConfigureAwait(false);
            return;
        }

        var decision = form["decision"];
        var allow = decision.Count == 1 && string.Equals(decision[0], "allow", StringComparison.Ordinal);
        var deny = decision.Count == 1 && string.Equals(decision[0], "deny", StringComparison.Ordinal);
        if (!allow && !deny)
        {
            await RefuseAsync(context, "The consent answer must carry one decision, 'allow' or 'deny'.").ConfigureAwait(false);
            return;
        }

        var ticketIds = form["ticket"];
        var redemption = emulator.ConsentTickets.Redeem(
            ticketIds.Count == 1 ? ticketIds[0] : null, request.Cookies[BrowserCookieName], out var ticket);
        if (redemption != ConsentRedemption.Redeemed || ticket is null)
        {
            await RefuseAsync(context, redemption switch
            {
                ConsentRedemption.Expired => $"This consent form has expired (after {ConsentTicketStore.Lifetime.TotalMinutes} minutes). Start again from the application.",
                ConsentRedemption.WrongBrowser => "This consent form was not shown in this browser: a forged or cross-site form post is refused.",
                _ => "This consent form is unknown or was already answered. Start again from the application.",
            }).ConfigureAwait(false);
            return;
        }

        var fragment = new List<KeyValuePair<string, string>>();
        if (allow)
        {
            JoinMeEmulatorToken token;
            try
            {
                token = emulator.MintToken(ticket.ClientId, ticket.Scopes);
            }
            catch (ArgumentException ex)
            {
                await RefuseAsync(context, ex.Message).ConfigureAwait(false);
                return;
            }

            fragment.Add(new("access_token", token.AccessToken));
            fragment.Add(new("token_type", "bearer"));
            fragment.Add(new("expires_in", ExpiresIn(emulator.Options).ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            fragment.Add(new("error", "access_denied"));
        }

        if (ticket.State is not null)
        {
            fragment.Add(new("state", ticket.State));
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Redirect(ticket.RedirectUri + BuildFragment(fragment));
    }

    /// <summary>
    /// Builds <c>#name=value&amp;...</c> with every name and value percent-encoded by <see cref="Uri.EscapeDataString(string)"/>.
    /// </summary>
    internal static string BuildFragment(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var fragment = new StringBuilder("#");
        foreach (var (name, value) in parameters)
        {
            if (fragment.Length > 1)
            {
                fragment.Append('&');
            }

            fragment.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return fragment.ToString();
    }

    /// <summary>The token lifetime as <c>expires_in</c> in the configured unit, rounded down.</summary>
    internal static long ExpiresIn(JoinMeEmulatorOptions options) => options.ExpiresInUnit == JoinMeExpiresInUnit.Seconds
        ? (long)options.TokenLifetime.TotalSeconds
        : (long)options.TokenLifetime.TotalMinutes;

    private static Task RefuseAsync(HttpContext context, string problem) =>
        EmulatorPages.WriteErrorPageAsync(context.Response, [problem]);

    /// <summary>Reads a required parameter; reports a problem and returns null when it is missing, blank or repeated.</summary>
    private static string? ReadRequired(IQueryCollection query, string name, List<string> problems, string missingProblem)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            problems.Add($"The {name} parameter is given more than once.");
            return null;
        }

        var value = values.ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(missingProblem);
            return null;
        }

        return value;
    }

    private static string KnownScopes(JoinMeEmulator emulator) => string.Join(", ", emulator.Options.Scopes);

    private static string FormAction(HttpContext context) =>
        context.Request.PathBase.Add(JoinMeAuthenticationDefaults.AuthorizePath).ToUriComponent();

    /// <summary>Returns the browser's binding value, setting the cookie that carries it when the browser has none.</summary>
    private static string BindBrowser(HttpContext context)
    {
        var existing = context.Request.Cookies[BrowserCookieName];
        if (existing is { Length: 43 } && existing.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return existing;
        }

        var binding = AccessTokenGenerator.NewOpaqueValue();
        context.Response.Cookies.Append(BrowserCookieName, binding, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = FormAction(context),
            IsEssential = true,
        });
        return binding;
    }
}
