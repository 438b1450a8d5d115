namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>Reads a redirect's fragment as a correct browser client does (URLSearchParams-like).</summary>
internal static class Fragment
{
    public static Dictionary<string, string> Parse(string location)
    {
        var hash = location.IndexOf('#', StringComparison.Ordinal);
        Assert.True(hash >= 0, $"No fragment in {location}");
        return location[(hash + 1)..]
            .Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair[1]));
    }
}
