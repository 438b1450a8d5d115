using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Gives the options the application's time source when none was set.</summary>
internal sealed class JoinMePostConfigureOptions(TimeProvider timeProvider) : IPostConfigureOptions<JoinMeOptions>
{
    public void PostConfigure(string? name, JoinMeOptions options)
    {
        options.TimeProvider ??= timeProvider;
    }
}
