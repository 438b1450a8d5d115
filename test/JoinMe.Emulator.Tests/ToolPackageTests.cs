using System.IO.Compression;
using System.Xml.Linq;

namespace JoinMe.Emulator.Tests;

/// <summary><c>dotnet pack src/JoinMe.Emulator</c> makes the .NET tool package <c>JoinMe.Emulator</c>, command <c>joinme-emulator</c>.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task Packing_the_emulator_makes_the_joinme_emulator_dotnet_tool()
    {
        var output = Directory.CreateTempSubdirectory("joinme-emulator-pack-");
        try
        {
            // --no-build: the tool is already built (this project references it); packing only collects it.
            var (exitCode, log) = await RunDotnetAsync(
                ["pack", Path.Combine(Repository.Root, "src", "JoinMe.Emulator", "JoinMe.Emulator.csproj"), "--no-build", "-c", Repository.Configuration, "-o", output.FullName, "-nologo"],
                TestContext.Current.CancellationToken);
            Assert.True(exitCode == 0, log);

            using var package = ZipFile.OpenRead(Assert.Single(output.GetFiles("*.nupkg")).FullName);
            var nuspec = XDocument.Load(package.GetEntry("JoinMe.Emulator.nuspec")!.Open());
            var settings = XDocument.Load(package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
            var names = package.Entries.Select(entry => entry.FullName).ToList();

            Assert.Equal("JoinMe.Emulator", nuspec.Descendants().Single(element => element.Name.LocalName == "id").Value);
            Assert.Equal("DotnetTool", nuspec.Descendants().Single(element => element.Name.LocalName == "packageType").Attribute("name")?.Value);
            var command = settings.Descendants("Command").Single();
            Assert.Equal("joinme-emulator", command.Attribute("Name")?.Value);
            Assert.Equal("JoinMe.Emulator.dll", command.Attribute("EntryPoint")?.Value);
            Assert.Contains("tools/net10.0/any/JoinMe.AspNetCore.Emulator.dll", names);
            Assert.DoesNotContain(names, name => name.Contains("Mvc.Testing", StringComparison.Ordinal) || name.Contains("TestHost", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunDotnetAsync(string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Repository.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // What the test runner's own MSBuild left in the environment would steer this build elsewhere.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(EmulatorProcess.Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await error);
    }
}
