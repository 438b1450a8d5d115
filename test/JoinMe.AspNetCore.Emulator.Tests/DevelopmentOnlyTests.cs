using Microsoft.Extensions.Logging.Testing;

namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// The emulator mints tokens for anyone who reaches it, so it runs in Development only and answers for no real join.me host,
/// unless a test host says otherwise with the loudly named opt-in; and it says it is there whenever it is.
/// </summary>
public sealed class DevelopmentOnlyTests
{
    private const string OptIn = "JoinMeEmulator:UnsafeAllowOutsideDevelopment";

    /// <summary>The ways an app registers the emulator: alone, as the backchannel of an emulator of its own, or both.</summary>
    public enum Registration
    {
        AddJoinMeEmulator,
        AddJoinMeEmulatorBackchannelOfItsOwn,
        AddJoinMeEmulatorAndItsBackchannel,
    }

    [Theory]
    [InlineData("Production", Registration.AddJoinMeEmulator)]
    [InlineData("Staging", Registration.AddJoinMeEmulator)]
    [InlineData("Testing", Registration.AddJoinMeEmulator)]
    [InlineData("Production", Registration.AddJoinMeEmulatorBackchannelOfItsOwn)]
    [InlineData("Production", Registration.AddJoinMeEmulatorAndItsBackchannel)]
    public async Task The_emulator_stops_the_app_at_start_outside_Development_saying_why_and_how_to_opt_in(string environment, Registration registration)
    {
        await using var app = Build(environment, services =>
        {
            switch (registration)
            {
                case Registration.AddJoinMeEmulator:
                    services.AddJoinMeEmulator();
                    break;
                case Registration.AddJoinMeEmulatorBackchannelOfItsOwn:
                    services.AddJoinMeEmulatorBackchannel(new JoinMeEmulator());
                    break;
                case Registration.AddJoinMeEmulatorAndItsBackchannel:
                    services.AddJoinMeEmulator();
                    services.AddJoinMeEmulatorBackchannel();
                    break;
            }
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"The join.me emulator refuses to run in the '{environment}' environment: anyone who can reach it can mint tokens", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"(configuration: {OptIn}=true)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapJoinMeEmulator_refuses_outside_Development_even_for_an_emulator_registered_by_hand()
    {
        await using var app = Build(Environments.Production, services => services.AddSingleton(new JoinMeEmulator()));

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapJoinMeEmulator());

        Assert.StartsWith("The join.me emulator refuses to run in the 'Production' environment", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("configuration")]
    public async Task The_opt_in_lets_a_test_host_run_the_emulator_outside_Development(string how)
    {
        await using var app = Build("Testing", services => services.AddJoinMeEmulator(options =>
        {
            if (how == "code")
            {
                options.UnsafeAllowOutsideDevelopment = true;
            }
        }), how == "configuration" ? "true" : null);
        app.MapJoinMeEmulator();
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var stats = await app.GetTestClient().GetAsync("/_emulator/stats", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task An_opt_in_that_is_not_a_boolean_stops_the_app_naming_the_key()
    {
        await using var app = Build(Environments.Development, services => services.AddJoinMeEmulator(), optIn: "yes");

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"{OptIn} is 'yes'; it must be true or false.", exception.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_app_logs_a_warning_at_start_whenever_the_emulator_is_registered_and_another_for_the_opt_in(bool optIn)
    {
        await using var app = Build(Environments.Development, services => services.AddJoinMeEmulatorBackchannel(new JoinMeEmulator()), optIn ? "true" : null);
        await app.StartAsync(TestContext.Current.CancellationToken);

        var warnings = app.Services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Category == "JoinMe.AspNetCore.Emulator" && record.Level == LogLevel.Warning)
            .ToList();

        Assert.Equal(optIn ? [1, 2] : [1], warnings.Select(record => record.Id.Id));
        Assert.StartsWith("The join.me emulator is active in the 'Development' environment", warnings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.ServiceUnavailable, 0)]
    [InlineData("true", HttpStatusCode.OK, 1)]
    public async Task An_app_whose_authority_is_join_mes_own_never_gets_its_tokens_validated_by_the_emulator_unless_opted_in(
        string? optIn, HttpStatusCode expected, int tokenInfoCalls)
    {
        await using var app = Build(Environments.Development, services =>
        {
            services.AddJoinMeEmulator(options => options.Clients.Add(new("demo", "http://localhost/")));
            services.AddJoinMeEmulatorBackchannel();
            services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme)
                .AddJoinMe(options => options.AllowedClientIds.Add("demo"));
            services.AddAuthorization();
        }, optIn);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/api/me", () => "me").RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var emulator = app.Services.GetRequiredService<JoinMeEmulator>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", emulator.MintToken("demo", "scheduler").AccessToken);

        using var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(tokenInfoCalls, emulator.GetStats().TokenInfoCalls);
    }

    /// <summary>An app on TestServer in <paramref name="environment"/>, logging to a fake collector, with the opt-in set in configuration when given.</summary>
    private static WebApplication Build(string environment, Action<IServiceCollection> services, string? optIn = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        if (optIn is not null)
        {
            builder.Configuration[OptIn] = optIn;
        }

        services(builder.Services);
        return builder.Build();
    }
}
