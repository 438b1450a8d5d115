using System.Text;
using System.Text.Encodings.Web;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The emulator's two HTML pages, the authorize error page and the consent page: plain, readable,
/// every dynamic value HTML-encoded, served with headers that forbid framing, scripts and caching.
/// </summary>
internal static class EmulatorPages
{
    /// <summary>The Content-Security-Policy of both pages: no script, no framing, inline style only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> ScopeDescriptions = new(StringComparer.Ordinal)
    {
        [JoinMeScopes.UserInfo] = "Read your join.me profile",
        [JoinMeScopes.Scheduler] = "Read and manage your scheduled meetings",
        [JoinMeScopes.StartMeeting] = "Start meetings",
        [JoinMeScopes.Provisioning] = "Manage presenters (join.me Business API keys only)",
    };

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
        main { max-width: 34rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
        .badge { display: inline-block; margin: 0 0 1rem; padding: .2rem .6rem; border-radius: 4px; background: #ffe9a8; font-size: .85rem; }
        h1 { font-size: 1.35rem; }
        code { background: #eef0f3; padding: .1rem .3rem; border-radius: 3px; word-break: break-all; }
        li { margin: .4rem 0; }
        .buttons { display: flex; gap: 1rem; margin-top: 1.5rem; }
        button { font-size: 1rem; padding: .6rem 1.6rem; border-radius: 4px; border: 1px solid #8a94a6; background: #fff; cursor: pointer; }
        button#allow { background: #ff7f00; border-color: #ff7f00; color: #fff; }
        .problems li { color: #a11; }
        """;

    /// <summary>Writes the error page: status 400, one line per problem, no redirect.</summary>
    public static Task WriteErrorPageAsync(HttpResponse response, IEnumerable<string> problems)
    {
        var html = new StringBuilder();
        html.Append("<h1>This authorization request cannot be completed</h1>\n");
        html.Append("<p>The application sent a request that join.me would refuse. You are not sent back to the application.</p>\n");
        html.Append("<ul class=\"problems\" id=\"problems\">\n");
        foreach (var problem in problems)
        {
            html.Append("<li>").Append(Encode(problem)).Append("</li>\n");
        }

        html.Append("</ul>\n");
        return WritePageAsync(response, StatusCodes.Status400BadRequest, "Authorization error", html.ToString());
    }

    /// <summary>Writes the consent page for a validated request, with Allow and Deny posting its ticket back.</summary>
    public static Task WriteConsentPageAsync(HttpResponse response, ConsentTicket ticket, string formAction)
    {
        var html = new StringBuilder();
        html.Append("<h1>Allow <strong id=\"client\">").Append(Encode(ticket.ClientId)).Append("</strong> to use your join.me account?</h1>\n");
        html.Append("<p>The application asks for:</p>\n<ul id=\"scopes\">\n");
        foreach (var scope in ticket.Scopes)
        {
            html.Append("<li><code>").Append(Encode(scope)).Append("</code>");
            if (ScopeDescriptions.TryGetValue(scope, out var description))
            {
                html.Append(": ").Append(Encode(description));
            }

            html.Append("</li>\n");
        }

        html.Append("</ul>\n");
        html.Append("<p>Whatever you answer, you go back to <code id=\"redirect-uri\">").Append(Encode(ticket.RedirectUri)).Append("</code>.</p>\n");
        html.Append("<form method=\"post\" action=\"").Append(Encode(formAction)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"ticket\" value=\"").Append(Encode(ticket.Id)).Append("\">\n");
        html.Append("<div class=\"buttons\">\n");
        html.Append("<button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\">Allow</button>\n");
        html.Append("<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n");
        html.Append("</div>\n</form>\n");
        return WritePageAsync(response, StatusCodes.Status200OK, "Allow access?", html.ToString());
    }

    private static async Task WritePageAsync(HttpResponse response, int statusCode, string title, string mainHtml)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        var page = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} - join.me emulator</title>
            <style>
            {Style}
            </style>
            </head>
            <body>
            <main>
            <p class="badge">join.me emulator: not the real join.me</p>
            {mainHtml}
            </main>
            </body>
            </html>

            """;
        await response.WriteAsync(page, Encoding.UTF8, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
