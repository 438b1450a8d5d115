using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>The sample on a real Kestrel socket at a free loopback port, in Development, so it hosts its join.me emulator.</summary>
public sealed class SampleServer : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory = new();

    /// <summary>The sample's origin, such as http://127.0.0.1:41234.</summary>
    public string Origin { get; private set; } = string.Empty;

    /// <inheritdoc />
    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = address.TrimEnd('/');
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
