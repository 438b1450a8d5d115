using System.Text.RegularExpressions;

namespace JoinMe.Emulator.Tests;

/// <summary>
/// <c>joinme-emulator</c> run as its own process from its build output, as <c>dotnet run --project src/JoinMe.Emulator</c> runs
/// it: with none of the environment variables that would change it, every wait bounded, and killed when disposed.
/// </summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    /// <summary>The most any wait on the process may take before the test fails (a bound against a hung process, not a budget).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EmulatorProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Where it listens, once it said so.</summary>
    public Uri Address => _listening.Task.Result;

    /// <summary>Starts <c>joinme-emulator</c> with <paramref name="args"/>.</summary>
    public static EmulatorProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo(Repository.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(Repository.OutputOf("src/JoinMe.Emulator"), "JoinMe.Emulator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(IsSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        var emulator = new EmulatorProcess(new Process { StartInfo = start });
        emulator._process.OutputDataReceived += (_, line) => emulator.Received(line.Data, emulator._output);
        emulator._process.ErrorDataReceived += (_, line) => emulator.Received(line.Data, emulator._error);
        emulator._process.Start();
        emulator._process.BeginOutputReadLine();
        emulator._process.BeginErrorReadLine();
        return emulator;
    }

    /// <summary>Starts <c>joinme-emulator</c> on a free loopback port and waits until it says where it listens.</summary>
    public static async Task<EmulatorProcess> StartListeningAsync(CancellationToken cancellationToken)
    {
        var emulator = Start("--urls", "http://127.0.0.1:0");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Bound);
        var exited = emulator._process.WaitForExitAsync(bound.Token);
        var said = await Task.WhenAny(emulator._listening.Task, exited).ConfigureAwait(false);
        if (said != emulator._listening.Task)
        {
            var state = emulator._process.HasExited ? $"exited with {emulator._process.ExitCode}" : "still silent";
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"joinme-emulator did not say where it listens ({state}). Standard error: {emulator.Error}");
        }

        return emulator;
    }

    /// <summary>Runs <c>joinme-emulator</c> with <paramref name="args"/> to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var emulator = Start(args);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Bound);
        await emulator._process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        return (emulator._process.ExitCode, emulator.Output, emulator.Error);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var bound = new CancellationTokenSource(Bound);
        await _process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        _process.Dispose();
    }

    private void Received(string? line, StringBuilder into)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>Environment variables that would change where or how the emulator runs.</summary>
    private static bool IsSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_URLS", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("JoinMeEmulator__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^join\.me emulator listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
