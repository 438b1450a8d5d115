using System.Net;
using Microsoft.Extensions.Hosting;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// What keeps the emulator a development tool: where it may run, which hosts count as this machine, and the
/// messages that say why it refused.
/// </summary>
internal static class EmulatorSafety
{
    /// <summary>The opt-in, as it is named in configuration.</summary>
    public const string OptInKey = JoinMeEmulatorOptions.ConfigurationSection + ":" + nameof(JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment);

    /// <summary>
    /// Says why the emulator must not run in <paramref name="environment"/>, or returns <see langword="null"/> when it may:
    /// in Development, with the opt-in, or with no host environment at all (a bare service provider serves nothing).
    /// </summary>
    public static string? RefuseEnvironment(IHostEnvironment? environment, bool optedIn) =>
        environment is null || optedIn || environment.IsDevelopment()
            ? null
            : $"The join.me emulator refuses to run in the '{environment.EnvironmentName}' environment: anyone who can reach it can mint "
              + "tokens that this app accepts. It runs in Development only. Remove AddJoinMeEmulator, AddJoinMeEmulatorBackchannel and "
              + "MapJoinMeEmulator from any app that is deployed; in a test host only, set JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment "
              + $"(configuration: {OptInKey}=true).";

    /// <summary>Says why the backchannel will not answer a tokenInfo request addressed to <paramref name="host"/>.</summary>
    public static string RefuseRealHost(string host) =>
        $"The join.me emulator's backchannel refuses to answer for '{host}', which is not this machine: the JoinMe authority names a real "
        + "host, so the app is configured for join.me, not for the emulator. Point the authority at a loopback address (for example "
        + "http://localhost with RequireHttpsAuthority = false), or, in a test host only, set JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment "
        + $"(configuration: {OptInKey}=true).";

    /// <summary>
    /// Tells whether a host name or address always means this machine: <c>localhost</c>, <c>*.localhost</c> (RFC 6761),
    /// 127.0.0.0/8 and ::1, with or without IPv6 brackets.
    /// </summary>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var address = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(address, out var ip) && IsLoopback(ip);
    }

    /// <summary>Tells whether an address is a loopback one, an IPv4 loopback mapped to IPv6 included.</summary>
    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
