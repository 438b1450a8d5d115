namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// How the emulator's tokenInfo endpoint writes <c>expires_at</c>. join.me only documents it as
/// "a timestamp"; the handler must read every one of these.
/// </summary>
public enum JoinMeExpiresAtFormat
{
    /// <summary>An ISO 8601 UTC string with a <c>Z</c>, to the second: <c>"2026-11-28T10:30:00Z"</c>. The default.</summary>
    Iso8601Utc = 0,

    /// <summary>A JSON number of seconds since the Unix epoch: <c>1795861800</c>.</summary>
    UnixSeconds = 1,

    /// <summary>A JSON number of milliseconds since the Unix epoch: <c>1795861800000</c>.</summary>
    UnixMilliseconds = 2,
}
