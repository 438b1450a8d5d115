namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>Configuration values a test changes while the app runs, as an edited appsettings.json would: set them, then <see cref="Reload"/>.</summary>
public sealed class ReloadableSettings : IConfigurationSource
{
    private readonly Provider _provider = new();

    public string? this[string key]
    {
        set
        {
            if (value is null)
            {
                _provider.Remove(key);
            }
            else
            {
                _provider.Set(key, value);
            }
        }
    }

    public void Reload() => _provider.Reload();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    private sealed class Provider : ConfigurationProvider
    {
        public void Remove(string key) => Data.Remove(key);

        public void Reload() => OnReload();
    }
}
