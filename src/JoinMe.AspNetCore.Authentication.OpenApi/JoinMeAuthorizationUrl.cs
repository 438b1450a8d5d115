namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>Where a browser signs in for a join.me scheme: its authority's authorize endpoint, or the app's own emulator.</summary>
internal static class JoinMeAuthorizationUrl
{
    public static Uri For(JoinMeOptions options, IServiceProvider services)
    {
        // An app that serves the authorize path itself (the join.me emulator) signs users in there: the bare path, which
        // OpenAPI resolves against the document's server, is right whatever address the app was reached by.
        if (ServesAuthorizePath(services))
        {
            return new Uri(JoinMeAuthenticationDefaults.AuthorizePath, UriKind.Relative);
        }

        var authority = (options.Authority ?? string.Empty).Trim().TrimEnd('/');
        return new Uri(authority + JoinMeAuthenticationDefaults.AuthorizePath, UriKind.RelativeOrAbsolute);
    }

    private static bool ServesAuthorizePath(IServiceProvider services)
    {
        var endpoints = services.GetService<EndpointDataSource>()?.Endpoints ?? [];
        foreach (var endpoint in endpoints)
        {
            if (endpoint is RouteEndpoint route
                && string.Equals(route.RoutePattern.RawText?.Trim('/'), JoinMeAuthenticationDefaults.AuthorizePath.Trim('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
