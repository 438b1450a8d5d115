using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>The metadata of the endpoint that an API description describes, as the authorization middleware will see it.</summary>
internal static class ApiDescriptionMetadata
{
    public static IReadOnlyList<object> Of(ApiDescription description, IServiceProvider services)
    {
        var action = description.ActionDescriptor;

        // A controller action's descriptor holds its attributes only; its endpoint also holds the conventions added to it
        // (app.MapControllers().RequireAuthorization()) and carries the descriptor itself. A minimal API's descriptor already
        // holds its endpoint's whole metadata, groups' conventions included.
        foreach (var endpoint in services.GetService<EndpointDataSource>()?.Endpoints ?? [])
        {
            if (ReferenceEquals(endpoint.Metadata.GetMetadata<ActionDescriptor>(), action))
            {
                return endpoint.Metadata;
            }
        }

        return action.EndpointMetadata.AsReadOnly();
    }
}
