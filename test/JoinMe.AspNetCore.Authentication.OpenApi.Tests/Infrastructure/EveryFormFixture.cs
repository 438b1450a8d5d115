namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>The document of <see cref="EveryForm"/>, fetched once for a test class.</summary>
public sealed class EveryFormFixture : IAsyncLifetime
{
    private DescribedApp? _app;

    public JsonObject Document { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        _app = await DescribedApp.StartAsync(EveryForm.Map, EveryForm.AddServices, controllers: true);
        Document = await _app.GetDocumentAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
