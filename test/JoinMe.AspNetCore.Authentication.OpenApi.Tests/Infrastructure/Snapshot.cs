using System.Reflection;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>
/// An approved text kept in this project's Snapshots folder. When what a test received differs, it is written beside the approved
/// file as <c>.received</c> and the test fails with a diff: review it, and if the change is right, copy it over the approved file.
/// </summary>
public static class Snapshot
{
    private static readonly string Folder = Path.Combine(
        typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "Snapshots");

    public static void Verify(string name, string received)
    {
        var approvedPath = Path.Combine(Folder, $"{name}.approved.json");
        var receivedPath = Path.Combine(Folder, $"{name}.received.json");
        received = received.ReplaceLineEndings("\n").TrimEnd() + "\n";
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Folder);
        File.WriteAllText(receivedPath, received);
        Assert.Fail(
            $"The snapshot {name} differs from {approvedPath}.\n" +
            $"Received: {receivedPath}\n" +
            $"If the change is right, copy the received file over the approved one.\n" +
            LineDiff.Of(approved, received));
    }
}
