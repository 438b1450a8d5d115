namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>Where things are in this repository, seen from this test's build output.</summary>
internal static class Repository
{
    /// <summary>The repository's root: the nearest folder above this test's build output that holds JoinMe.AspNetCore.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relativePath"/> (forward slashes) below the repository's root.</summary>
    public static string PathOf(string relativePath) => Path.Combine([Root, .. relativePath.Split('/')]);

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
