using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Sets the emulator's backchannel as the primary handler of the HTTP clients registered for it,
/// after every other configuration of those clients has run, so that it wins whether
/// <c>AddJoinMeEmulatorBackchannel</c> is called before or after <c>AddJoinMe</c>.
/// </summary>
internal sealed class JoinMeEmulatorBackchannelFilter(IOptionsMonitor<BackchannelRegistration> registrations) : IHttpMessageHandlerBuilderFilter
{
    /// <inheritdoc />
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (registrations.Get(builder.Name ?? Options.DefaultName).CreateHandler is { } createHandler)
        {
            builder.PrimaryHandler = createHandler(builder.Services);
        }
    };
}
