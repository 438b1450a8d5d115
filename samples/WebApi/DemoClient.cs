using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebApi;

/// <summary>
/// Registers the sample's own page (and Scalar's callback page) as the emulator's demo client, once the server knows its address,
/// and says where to open it.
/// </summary>
internal static class DemoClient
{
    public static void Register(WebApplication app, string clientId)
    {
        var emulator = app.Services.GetRequiredService<JoinMeEmulator>();
        var origin = PublicOrigin(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses);
        var callback = origin + "/";

        // A test may have registered the client already, with a Callback URL of its own: leave that alone. Otherwise the client
        // has two: the sample's page, and the page Scalar's sign-in at /scalar comes back to.
        if (!emulator.TryGetClient(clientId, out _))
        {
            emulator.RegisterClient(clientId, callback);
            emulator.AddRedirectUri(clientId, origin + SampleSettings.ScalarCallbackPath);
        }

        Console.WriteLine($"JoinMe sample: open {callback} and sign in with the built-in join.me emulator (client '{clientId}').");
    }

    private static string PublicOrigin(ICollection<string>? addresses)
    {
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses?.FirstOrDefault()
            ?? "http://localhost";
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
