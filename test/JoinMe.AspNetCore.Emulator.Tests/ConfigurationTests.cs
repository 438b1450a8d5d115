using Microsoft.Extensions.Configuration;

namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>AddJoinMeEmulator reads the JoinMeEmulator configuration section, so appsettings.json and the command line set it.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void Every_setting_is_read_from_the_JoinMeEmulator_section()
    {
        var options = OptionsFrom(new()
        {
            ["JoinMeEmulator:ExpiresInUnit"] = "seconds",
            ["JoinMeEmulator:ExpiresAtFormat"] = "UnixMilliseconds",
            ["JoinMeEmulator:InvalidTokenResponse"] = "GatewayForbidden",
            ["JoinMeEmulator:TokenLifetime"] = "01:30:00",
            ["JoinMeEmulator:RevocationDelay"] = "00:10:00",
            ["JoinMeEmulator:UnsafeAllowOutsideDevelopment"] = "true",
            ["JoinMeEmulator:Scopes:0"] = "scheduler",
            ["JoinMeEmulator:Scopes:1"] = "custom_scope",
            ["JoinMeEmulator:Clients:0:ClientId"] = "demo-client",
            ["JoinMeEmulator:Clients:0:RedirectUri"] = "http://localhost:5080/",
            ["JoinMeEmulator:Clients:0:RedirectUris:0"] = "http://localhost:5080/scalar/",
            ["JoinMeEmulator:Clients:1:ClientId"] = "other",
            ["JoinMeEmulator:Clients:1:RedirectUris:0"] = "https://other.example/",
        });

        Assert.Equal(JoinMeExpiresInUnit.Seconds, options.ExpiresInUnit);
        Assert.Equal(JoinMeExpiresAtFormat.UnixMilliseconds, options.ExpiresAtFormat);
        Assert.Equal(JoinMeInvalidTokenResponse.GatewayForbidden, options.InvalidTokenResponse);
        Assert.Equal(TimeSpan.FromMinutes(90), options.TokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(10), options.RevocationDelay);
        Assert.True(options.UnsafeAllowOutsideDevelopment);
        Assert.Equal(["scheduler", "custom_scope"], options.Scopes);
        Assert.Equal(
            [new JoinMeEmulatorClient("demo-client", ["http://localhost:5080/", "http://localhost:5080/scalar/"]), new JoinMeEmulatorClient("other", "https://other.example/")],
            options.Clients);
    }

    [Fact]
    public void Code_configures_after_configuration_and_wins()
    {
        var options = OptionsFrom(
            new() { ["JoinMeEmulator:TokenLifetime"] = "01:00:00", ["JoinMeEmulator:RevocationDelay"] = "00:01:00" },
            configure => configure.TokenLifetime = TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), options.TokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RevocationDelay);
    }

    [Theory]
    [InlineData("TokenLifetime", "abc", "JoinMeEmulator:TokenLifetime is 'abc'; it must be a time span such as 1.00:00:00 (a day) or 00:30:00.")]
    [InlineData("RevocationDelay", "10 minutes", "JoinMeEmulator:RevocationDelay is '10 minutes'; it must be a time span such as 00:10:00.")]
    [InlineData("ExpiresAtFormat", "Hex", "JoinMeEmulator:ExpiresAtFormat is 'Hex'; it must be Iso8601Utc, UnixSeconds or UnixMilliseconds.")]
    [InlineData("ExpiresInUnit", "7", "JoinMeEmulatorOptions.ExpiresInUnit has the undefined value 7; use Minutes or Seconds.")]
    [InlineData("InvalidTokenResponse", "teapot", "JoinMeEmulator:InvalidTokenResponse is 'teapot'; it must be Unauthorized or GatewayForbidden.")]
    [InlineData("UnsafeAllowOutsideDevelopment", "yes", "JoinMeEmulator:UnsafeAllowOutsideDevelopment is 'yes'; it must be true or false.")]
    [InlineData("Clients:0:ClientId", "lonely", "JoinMeEmulatorOptions.Clients: redirect_uri is required for client 'lonely': the application's Callback URL.")]
    public void A_value_that_cannot_be_read_fails_validation_naming_the_key(string key, string value, string message)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OptionsFrom(new() { [$"JoinMeEmulator:{key}"] = value }));

        Assert.Equal(message, exception.Message);
    }

    private static JoinMeEmulatorOptions OptionsFrom(Dictionary<string, string?> settings, Action<JoinMeEmulatorOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddJoinMeEmulator(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<JoinMeEmulatorOptions>>().Value;
    }
}
