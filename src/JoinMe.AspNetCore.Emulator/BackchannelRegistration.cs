namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Named options, keyed by HTTP client name: how to make the in-memory handler that replaces that
/// client's primary handler. The last registration for a name wins.
/// </summary>
internal sealed class BackchannelRegistration
{
    /// <summary>Makes the emulator's backchannel handler; <see langword="null"/> leaves the client alone.</summary>
    public Func<IServiceProvider, HttpMessageHandler>? CreateHandler { get; set; }
}
