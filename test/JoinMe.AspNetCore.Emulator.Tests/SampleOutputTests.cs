namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The sample ships the emulator, never the test frameworks the Testing package brings.</summary>
public sealed class SampleOutputTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Mvc.Testing")]
    [InlineData("Microsoft.AspNetCore.TestHost")]
    public void The_samples_build_output_carries_no_test_framework(string assembly)
    {
        var output = SampleOutputFolder();
        Assert.True(File.Exists(Path.Combine(output, "WebApi.dll")), $"The sample's build output was not found at {output}.");
        Assert.True(File.Exists(Path.Combine(output, "JoinMe.AspNetCore.Emulator.dll")), "The sample should carry the emulator.");

        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "WebApi.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name.Split('/')[0]);

        Assert.False(File.Exists(Path.Combine(output, assembly + ".dll")), $"{assembly}.dll is in the sample's output.");
        Assert.DoesNotContain(assembly, libraries, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The sample's own output folder (samples/WebApi/bin/{configuration}/{framework}), which this project's reference to it builds:
    /// the same path below the sample as this test's output is below its project.
    /// </summary>
    private static string SampleOutputFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "JoinMe.AspNetCore.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var below = Path.GetRelativePath(Path.Combine(root.FullName, "test", "JoinMe.AspNetCore.Emulator.Tests"), AppContext.BaseDirectory);
        return Path.Combine(root.FullName, "samples", "WebApi", below);
    }
}
