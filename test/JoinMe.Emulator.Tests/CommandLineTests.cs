namespace JoinMe.Emulator.Tests;

/// <summary><c>joinme-emulator</c>'s command line: help, and a clear error with exit code 2 for anything it cannot use.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_usage_and_exits_0(string help)
    {
        var (exitCode, output, error) = await EmulatorProcess.RunAsync([help], TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("joinme-emulator: a stand-in for join.me's OAuth 2.0 server", output, StringComparison.Ordinal);
        Assert.Contains("Usage: joinme-emulator [options]", output, StringComparison.Ordinal);
        Assert.Contains("--urls URLS", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("--port 5090", "joinme-emulator: unknown option '--port'. Run joinme-emulator --help for the options.")]
    [InlineData("5090", "joinme-emulator: unexpected argument '5090'; options start with --.")]
    [InlineData("--urls", "joinme-emulator: --urls needs a value.")]
    [InlineData("--urls --environment Development", "joinme-emulator: --urls needs a value.")]
    [InlineData("--urls notaurl", "joinme-emulator: --urls: 'notaurl' is not a URL to listen on, such as http://127.0.0.1:5090.")]
    [InlineData("--Authentication:Schemes:JoinMe:Authority http://x", "joinme-emulator: unknown option '--Authentication:Schemes:JoinMe:Authority'.")]
    [InlineData("--JoinMeEmulator:TokenLifetime abc", "joinme-emulator: JoinMeEmulator:TokenLifetime is 'abc'; it must be a time span")]
    [InlineData("--JoinMeEmulator:Clients:0:ClientId lonely", "joinme-emulator: JoinMeEmulatorOptions.Clients: redirect_uri is required for client 'lonely'")]
    [InlineData("--environment Production", "joinme-emulator: The join.me emulator refuses to run in the 'Production' environment")]
    public async Task Arguments_it_cannot_use_give_a_clear_error_and_exit_code_2(string args, string error)
    {
        var (exitCode, output, standardError) = await EmulatorProcess.RunAsync(args.Split(' '), TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains(error, standardError, StringComparison.Ordinal);
    }
}
