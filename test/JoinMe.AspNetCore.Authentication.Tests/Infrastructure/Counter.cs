namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>A thread-safe count that a test can wait on, instead of sleeping.</summary>
public sealed class Counter
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment()
    {
        List<TaskCompletionSource>? reached = null;
        lock (_lock)
        {
            _value++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= _value)
                {
                    (reached ??= []).Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }

        reached?.ForEach(waiter => waiter.TrySetResult());
    }

    /// <summary>Completes when the count reaches <paramref name="target"/>; fails the test after a generous guard time rather than hanging it.</summary>
    public Task WhenAtLeast(int target)
    {
        lock (_lock)
        {
            if (_value >= target)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, reached));
            return reached.Task.WaitAsync(Guard, TestContext.Current.CancellationToken);
        }
    }
}
