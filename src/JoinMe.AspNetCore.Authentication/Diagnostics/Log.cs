namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Every log line the package writes. None carries a token, a token's hash, a cache key or a tokenInfo body: only scheme names,
/// reasons and exception type names.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "TokenMissing", Level = LogLevel.Debug, Message = "Scheme {Scheme}: the request carries no access token.")]
    public static partial void TokenMissing(ILogger logger, string scheme);

    [LoggerMessage(EventId = 2, EventName = "TokenAccepted", Level = LogLevel.Debug, Message = "Scheme {Scheme}: access token accepted.")]
    public static partial void TokenAccepted(ILogger logger, string scheme);

    [LoggerMessage(EventId = 3, EventName = "TokenNotAccepted", Level = LogLevel.Information, Message = "Scheme {Scheme}: access token not accepted ({Reason}).")]
    public static partial void TokenNotAccepted(ILogger logger, string scheme, JoinMeFailureReason reason);

    [LoggerMessage(EventId = 4, EventName = "TokenInfoCallFailed", Level = LogLevel.Warning, Message = "Scheme {Scheme}: the tokenInfo call failed with {ExceptionType}.")]
    public static partial void TokenInfoCallFailed(ILogger logger, string scheme, string exceptionType);

    [LoggerMessage(EventId = 5, EventName = "TokenInfoUnavailable", Level = LogLevel.Warning, Message = "Scheme {Scheme}: tokenInfo gave no usable answer ({Reason}).")]
    public static partial void TokenInfoUnavailable(ILogger logger, string scheme, JoinMeFailureReason reason);

    [LoggerMessage(EventId = 6, EventName = "LookupFailed", Level = LogLevel.Error, Message = "Scheme {Scheme}: validating a token threw {ExceptionType}, possibly in the TokenInfoReceived event; the token is treated as unavailable.")]
    public static partial void LookupFailed(ILogger logger, string scheme, string exceptionType);

    [LoggerMessage(EventId = 7, EventName = "CacheReadFailed", Level = LogLevel.Warning, Message = "Reading the token cache threw {ExceptionType}; validating without it.")]
    public static partial void CacheReadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 8, EventName = "SharedEntryRejected", Level = LogLevel.Warning, Message = "An entry of the shared token cache failed its authenticity check ({ExceptionType}) and was ignored. Do all instances share their Data Protection keys and application name?")]
    public static partial void SharedEntryRejected(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 9, EventName = "InsufficientScope", Level = LogLevel.Information, Message = "Scheme {Scheme}: forbidden, the token lacks the scope(s) {MissingScopes}.")]
    public static partial void InsufficientScope(ILogger logger, string scheme, string missingScopes);
}
