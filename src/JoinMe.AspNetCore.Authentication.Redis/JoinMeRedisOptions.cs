using StackExchange.Redis;

namespace JoinMe.AspNetCore.Authentication.Redis;

/// <summary>
/// The shared Redis tier of the join.me token cache. Also read from the configuration section <c>JoinMe:Redis</c>; checked at start-up.
/// </summary>
public class JoinMeRedisOptions
{
    /// <summary>The StackExchange.Redis configuration string, such as <c>localhost:6379</c> (the value of <c>ConnectionStrings:Redis</c>, say).</summary>
    public string? Configuration { get; set; }

    /// <summary>Supplies a connection the app already has, instead of <see cref="Configuration"/>. The app keeps owning it.</summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// Prefixes every key and the backplane's channel, so that deployments sharing one Redis stay apart. Default: <c>joinme:</c>. APIs that should share
    /// what tokenInfo said (and revocations) use the same prefix and share their ASP.NET Core Data Protection keys and application name.
    /// </summary>
    public string KeyPrefix { get; set; } = "joinme:";

    /// <summary>The longest a request waits for one Redis operation before going on without the shared tier. Default: 100 milliseconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether a distributed lock makes simultaneous requests for one new token on several instances share one tokenInfo call. Default:
    /// <see langword="true"/>. Requests waiting on another instance's call try the lock every 5 to 25 milliseconds, which adds a few tens of milliseconds to them.
    /// </summary>
    public bool UseDistributedLock { get; set; } = true;

    /// <summary>
    /// The longest a request waits for another instance's lock, while that instance asks tokenInfo, before asking tokenInfo itself. Default: 5 seconds.
    /// Redis trouble never makes a request wait this long: a lock whose holder is gone expires <see cref="OperationTimeout"/> plus a second after its
    /// last renewal, and a request goes on without the lock when Redis does not answer in <see cref="OperationTimeout"/>.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
