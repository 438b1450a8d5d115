using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Lets through only admin requests that come from this machine and from no other web page: the admin API mints tokens, so a
/// page on another site, on another port of localhost, or behind a rebound DNS name must not reach it through a browser.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The caller's address must be a loopback one. A request with no remote address at all comes from an in-memory
/// server (TestServer) or a Unix socket, both local by construction, and is let through.</item>
/// <item><c>Host</c> must name this server as it listens (<see cref="IServerAddressesFeature"/>): one of its addresses, or a
/// loopback name (<c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8, ::1) on one of its ports. A name that a page's own DNS
/// rebound to 127.0.0.1 is refused. A server that lists no address (TestServer) accepts loopback names only.</item>
/// <item><c>Sec-Fetch-Site</c>, when a browser sends it, must be <c>same-origin</c> or <c>none</c> (typed in the address
/// bar); <c>same-site</c> (another localhost port) and <c>cross-site</c> are refused.</item>
/// <item><c>Origin</c>, when sent, must be the request's own scheme, host and port.</item>
/// </list>
/// Requests with a body must also be <c>application/json</c> (<see cref="AdminEndpoints"/>), which a page cannot send to
/// another origin without a CORS preflight, and the emulator answers no preflight.
/// </remarks>
internal static class AdminRequestGuard
{
    /// <summary>Wraps an admin endpoint: a refused request is answered 403 with the reason and does nothing.</summary>
    public static RequestDelegate Guard(RequestDelegate endpoint) => context =>
        Refusal(context) is { } reason
            ? AdminEndpoints.ErrorAsync(context, StatusCodes.Status403Forbidden, reason)
            : endpoint(context);

    /// <summary>Says why the request is refused, or returns <see langword="null"/> when it may reach the admin API.</summary>
    internal static string? Refusal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && !EmulatorSafety.IsLoopback(remote))
        {
            return "The emulator's admin API answers callers on this machine only (a loopback address).";
        }

        if (!IsListeningHost(context))
        {
            return "The emulator's admin API refuses a Host header that does not name this server (its addresses, or localhost on its port).";
        }

        var fetchSite = context.Request.Headers["Sec-Fetch-Site"];
        if (fetchSite.Count > 0 && !(fetchSite.Count == 1 && fetchSite[0] is "same-origin" or "none"))
        {
            return "The emulator's admin API refuses requests that another page (another site, or another port of this one) made a browser send.";
        }

        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0 && !(origin.Count == 1 && IsOwnOrigin(context.Request, origin[0])))
        {
            return "The emulator's admin API refuses requests whose Origin is not its own.";
        }

        return null;
    }

    private static bool IsListeningHost(HttpContext context)
    {
        var request = context.Request;
        if (!request.Host.HasValue)
        {
            return false;
        }

        var host = request.Host.Host;
        var port = request.Host.Port ?? DefaultPort(request.Scheme);
        var addresses = context.RequestServices.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return EmulatorSafety.IsLoopbackHost(host);
        }

        foreach (var address in addresses)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(address);
            }
            catch (FormatException)
            {
                continue;
            }

            if (binding.IsNamedPipe || binding.IsUnixPipe)
            {
                // Reached through a local socket file: the Host header names nothing; a loopback name is the only sane one.
                if (EmulatorSafety.IsLoopbackHost(host))
                {
                    return true;
                }

                continue;
            }

            if (binding.Port == port
                && (EmulatorSafety.IsLoopbackHost(host) || (!IsWildcard(binding.Host) && string.Equals(binding.Host, host, StringComparison.OrdinalIgnoreCase))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOwnOrigin(HttpRequest request, string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == (request.Host.Port ?? DefaultPort(request.Scheme));

    private static bool IsWildcard(string host) => host is "+" or "*" or "0.0.0.0" or "[::]" or "::";

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
}
