namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>
/// The app's clock in tests: a <see cref="FakeTimeProvider"/> seen through a wrapper that notes every timer created on it, so that a test
/// can wait until the handler has set its timeouts before it moves the fake time, instead of hoping it has.
/// </summary>
public sealed class TimerCountingClock(FakeTimeProvider time) : TimeProvider
{
    private readonly ConcurrentDictionary<TimeSpan, int> _timers = new();

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override long GetTimestamp() => time.GetTimestamp();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.AddOrUpdate(dueTime, 1, static (_, count) => count + 1);
        return time.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>How many timers have been created with <paramref name="dueTime"/>.</summary>
    public int TimersCreated(TimeSpan dueTime) => _timers.GetValueOrDefault(dueTime);
}
