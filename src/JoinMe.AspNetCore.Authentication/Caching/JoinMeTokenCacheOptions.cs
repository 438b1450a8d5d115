namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Options of the default in-memory token cache, shared by every join.me scheme of the application.
/// </summary>
public class JoinMeTokenCacheOptions
{
    /// <summary>
    /// The most results kept at once; beyond it new results are not cached until compaction frees room,
    /// so a flood of random tokens cannot exhaust memory. Default: 100,000.
    /// </summary>
    public long SizeLimit { get; set; } = 100_000;
}
