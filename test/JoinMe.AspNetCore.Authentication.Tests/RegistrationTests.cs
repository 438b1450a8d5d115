using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>What <c>AddJoinMe</c> registers for real, without the tests' fakes: the tokenInfo client and its primary handler.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void Calls_tokenInfo_through_a_handler_that_follows_no_redirect_and_keeps_no_cookie()
    {
        using var services = Build(authentication => authentication.AddJoinMe(options => options.AllowedClientIds.Add("demo-client")));

        using var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(JoinMeAuthenticationDefaults.HttpClientName);
        HttpMessageHandler primary = handler;
        while (primary is DelegatingHandler delegating)
        {
            primary = delegating.InnerHandler!;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(primary);
        Assert.False(sockets.AllowAutoRedirect);
        Assert.False(sockets.UseCookies);
    }

    [Fact]
    public void Adding_the_tokenInfo_health_check_twice_keeps_one_check_instead_of_failing_at_start_up()
    {
        var collection = new ServiceCollection();
        collection.AddHealthChecks().AddJoinMeTokenInfo().AddJoinMeTokenInfo().AddJoinMeTokenInfo("Other");
        using var services = collection.BuildServiceProvider();

        var names = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);

        Assert.Equal(["joinme-tokeninfo", "joinme-tokeninfo-Other"], names);
    }

    [Fact]
    public void Leaves_the_timeout_to_TokenInfoTimeout_rather_than_to_HttpClient()
    {
        using var services = Build(authentication => authentication.AddJoinMe(options => options.AllowedClientIds.Add("demo-client")));

        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(JoinMeAuthenticationDefaults.HttpClientName);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    [Fact]
    public async Task Registers_two_schemes_side_by_side_each_with_its_own_options()
    {
        using var services = Build(authentication => authentication
            .AddJoinMe(options => options.AllowedClientIds.Add("first-client"))
            .AddJoinMe("Second", options => options.AllowedClientIds.Add("second-client")));

        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var options = services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>();

        Assert.NotNull(await schemes.GetSchemeAsync(JoinMeAuthenticationDefaults.AuthenticationScheme));
        Assert.NotNull(await schemes.GetSchemeAsync("Second"));
        Assert.Equal(["first-client"], options.Get(JoinMeAuthenticationDefaults.AuthenticationScheme).AllowedClientIds);
        Assert.Equal(["second-client"], options.Get("Second").AllowedClientIds);
        Assert.Same(services.GetRequiredService<JoinMeTokenCache>(), services.GetRequiredService<JoinMeTokenCache>());
    }

    [Fact]
    public void Registers_its_helpers_once_however_many_schemes_there_are()
    {
        var collection = new ServiceCollection();
        collection.AddAuthentication()
            .AddJoinMe(options => options.AllowedClientIds.Add("demo-client"))
            .AddJoinMe("Second", options => options.AllowedClientIds.Add("demo-client"));

        Assert.Single(collection, descriptor => descriptor.ImplementationType?.Name == "JoinMeOptionsValidator");
        Assert.Single(collection, descriptor => descriptor.ImplementationType?.Name == "JoinMeConfigureOptions");
        Assert.Single(collection, descriptor => descriptor.ServiceType == typeof(JoinMeTokenCache));
        using var services = collection.AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).BuildServiceProvider();
        using var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(JoinMeAuthenticationDefaults.HttpClientName);
        var chain = new List<string>();
        for (var current = handler as DelegatingHandler; current is not null; current = current.InnerHandler as DelegatingHandler)
        {
            chain.Add(current.GetType().Name);
        }

        Assert.Single(chain, name => name == "ResilienceHandler");
    }

    private static ServiceProvider Build(Action<AuthenticationBuilder> configure)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddLogging();
        configure(collection.AddAuthentication());
        return collection.BuildServiceProvider();
    }
}
