using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Fills in what the options derive once, so that no request has to: the time source, the tokenInfo URL, the client id set.</summary>
internal sealed class JoinMePostConfigureOptions(TimeProvider timeProvider) : IPostConfigureOptions<JoinMeOptions>
{
    public void PostConfigure(string? name, JoinMeOptions options)
    {
        options.TimeProvider ??= timeProvider;
        options.Authority = (options.Authority ?? string.Empty).Trim().TrimEnd('/');
        options.TokenInfoRequestPrefix = options.Authority + JoinMeAuthenticationDefaults.TokenInfoPath + "?access_token=";
        options.AllowedClientIdSet = options.AllowedClientIds
            .Where(id => !string.IsNullOrWhiteSpace(id))
            .Select(id => id.Trim())
            .ToFrozenSet(StringComparer.Ordinal);
    }
}
