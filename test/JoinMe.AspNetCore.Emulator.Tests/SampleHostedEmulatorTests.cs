namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>
/// The sample hosts its own emulator in Development, as it always did, and refuses to anywhere else: a Program.cs deployed with
/// <c>Sample:UseEmulator=true</c> must not let anyone mint tokens it accepts.
/// </summary>
public sealed class SampleHostedEmulatorTests
{
    [Fact]
    public async Task In_Development_the_sample_accepts_a_token_its_own_emulator_minted()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        var config = await client.GetFromJsonAsync<SampleConfig>("/sample-config", TestContext.Current.CancellationToken);
        using var minted = await client.PostAsync(
            "/_emulator/tokens",
            new StringContent("""{"client_id":"demo-client","scope":"scheduler"}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var token = (await minted.Content.ReadFromJsonAsync<Minted>(TestContext.Current.CancellationToken))!.access_token;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/meetings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var meetings = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(config!.emulator);
        Assert.Equal("/api/public/v1/auth/oauth2", config.authorizeEndpoint);
        Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, meetings.StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_the_sample_refuses_to_start_with_its_emulator(string environment)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseEnvironment(environment)
            .UseSetting("Sample:UseEmulator", "true"));

        var exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains($"The join.me emulator refuses to run in the '{environment}' environment", exception.Message, StringComparison.Ordinal);
        Assert.Contains("JoinMeEmulator:UnsafeAllowOutsideDevelopment=true", exception.Message, StringComparison.Ordinal);
    }

#pragma warning disable IDE1006, CA1812 // JSON shapes of /sample-config and POST /_emulator/tokens.
    private sealed record SampleConfig(string authorizeEndpoint, bool emulator);

    private sealed record Minted(string access_token);
#pragma warning restore IDE1006, CA1812
}
