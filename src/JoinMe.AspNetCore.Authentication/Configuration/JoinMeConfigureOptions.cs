using Microsoft.Extensions.Configuration;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Reads a scheme's options from <c>Authentication:Schemes:{scheme}</c>, as JwtBearer does, with the source-generated binder (trim- and AOT-safe).
/// A value that cannot be converted stops the app at start-up with a message that names the setting.
/// </summary>
internal sealed class JoinMeConfigureOptions(IAuthenticationConfigurationProvider configurationProvider) : IConfigureNamedOptions<JoinMeOptions>
{
    public void Configure(JoinMeOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JoinMeOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            configurationProvider.GetSchemeConfiguration(name).Bind(options);
        }
    }
}
