namespace JoinMe.Emulator.Tests;

/// <summary>Where things are in this repository, seen from this test's build output.</summary>
internal static class Repository
{
    /// <summary>The repository's root: the folder of JoinMe.AspNetCore.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The dotnet host that runs this test (the SDK sets DOTNET_HOST_PATH), or the one on the PATH.</summary>
    public static string DotnetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>This test's build configuration (Debug, Release), which the tool was built in too.</summary>
    public static string Configuration { get; } = Path.GetRelativePath(Path.Combine(Root, "test", "JoinMe.Emulator.Tests", "bin"), AppContext.BaseDirectory)
        .Split(Path.DirectorySeparatorChar)[0];

    /// <summary>
    /// The build output of the project in <paramref name="projectFolder"/>: the same path below it as this test's output is below
    /// this project (bin/{configuration}/{framework}).
    /// </summary>
    public static string OutputOf(string projectFolder) =>
        Path.Combine(Root, projectFolder, Path.GetRelativePath(Path.Combine(Root, "test", "JoinMe.Emulator.Tests"), AppContext.BaseDirectory));

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "JoinMe.AspNetCore.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"No JoinMe.AspNetCore.sln above {AppContext.BaseDirectory}.");
    }
}
