using System.Globalization;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>A line diff of two texts, for a snapshot that changed: <c>-</c> approved only, <c>+</c> received only.</summary>
public static class LineDiff
{
    public static string Of(string approved, string received)
    {
        var a = approved.ReplaceLineEndings("\n").Split('\n');
        var b = received.ReplaceLineEndings("\n").Split('\n');

        // Longest common subsequence, from the end, then one walk from the start.
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || common[x, y + 1] >= common[x + 1, y]))
            {
                diff.Append(CultureInfo.InvariantCulture, $"+{y + 1,4}: {b[y++]}\n");
            }
            else
            {
                diff.Append(CultureInfo.InvariantCulture, $"-{x + 1,4}: {a[x++]}\n");
            }
        }

        return diff.ToString();
    }
}
