namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// How the emulator's tokenInfo endpoint misbehaves on cue. Faults act on tokenInfo only, over HTTP and
/// through the in-memory backchannel alike; the authorize endpoint and the admin API keep working.
/// </summary>
public enum JoinMeEmulatorFaultMode
{
    /// <summary>No fault: tokenInfo answers normally.</summary>
    None = 0,

    /// <summary>
    /// The service is unreachable: over HTTP the connection is aborted without an answer; through the
    /// in-memory backchannel the request throws <see cref="HttpRequestException"/>.
    /// </summary>
    Down = 1,

    /// <summary>tokenInfo answers normally, but only after <see cref="JoinMeEmulatorFault.Delay"/> has passed on the emulator's <see cref="TimeProvider"/>.</summary>
    Slow = 2,

    /// <summary>tokenInfo answers <c>500 Internal Server Error</c>.</summary>
    Error = 3,

    /// <summary>tokenInfo answers <c>200 OK</c>, labelled as JSON, with a body that is not JSON.</summary>
    Garbage = 4,

    /// <summary>
    /// tokenInfo answers as join.me's gateway does over quota: <c>403 Forbidden</c> with
    /// <c>X-Mashery-Error-Code: ERR_403_DEVELOPER_OVER_QPS</c>.
    /// </summary>
    RateLimited = 5,
}
