using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JoinMe.AspNetCore.Authentication.Tests.Infrastructure;

/// <summary>One captured log line: everything about it that could carry a secret, as text.</summary>
public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Text);

/// <summary>An <see cref="ILoggerProvider"/> that keeps every line, with its state values, scopes and exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            logs._lines.Enqueue(new LogLine(category, LogLevel.None, default, "scope: " + Describe(state)));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception) + " | " + Describe(state) + (exception is null ? string.Empty : " | " + exception);
            logs._lines.Enqueue(new LogLine(category, logLevel, eventId, text));
        }

        private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join("; ", values.Select(pair => $"{pair.Key}={pair.Value}"))
            : state?.ToString() ?? string.Empty;
    }
}
