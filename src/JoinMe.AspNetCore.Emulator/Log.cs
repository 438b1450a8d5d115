using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>The emulator's log messages, with stable event ids. None carries a token.</summary>
internal static partial class Log
{
    /// <summary>The logger category of the emulator's messages.</summary>
    public const string Category = "JoinMe.AspNetCore.Emulator";

    [LoggerMessage(1, LogLevel.Warning,
        "The join.me emulator is active in the '{EnvironmentName}' environment: anyone who can reach its admin API can mint tokens "
        + "that an app validating against it accepts. It is a development tool; never deploy it.")]
    public static partial void EmulatorActive(ILogger logger, string environmentName);

    [LoggerMessage(2, LogLevel.Warning,
        "JoinMeEmulator:UnsafeAllowOutsideDevelopment is set: the join.me emulator may run outside Development and its backchannel "
        + "answers tokenInfo for any authority, join.me's own included. Only a test host may set it.")]
    public static partial void UnsafeOptIn(ILogger logger);
}
