using System.Text;

namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>One line a process wrote, stamped when the test received it.</summary>
public sealed record LogLine(DateTimeOffset At, bool IsError, string Text)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {(IsError ? "err" : "out")} {Text}";
}

/// <summary>
/// Everything a process wrote to stdout and stderr, line by line with receive times, for waiting on a line and for
/// showing the whole output when a test fails.
/// </summary>
public sealed class ProcessLog
{
    private readonly object _gate = new();
    private readonly List<LogLine> _lines = [];
    private readonly List<(Func<LogLine, bool> Match, TaskCompletionSource<LogLine> Found)> _waiters = [];

    public IReadOnlyList<LogLine> Lines
    {
        get { lock (_gate) return _lines.ToList(); }
    }

    public IReadOnlyList<string> Stdout => Lines.Where(l => !l.IsError).Select(l => l.Text).ToList();

    public IReadOnlyList<string> Stderr => Lines.Where(l => l.IsError).Select(l => l.Text).ToList();

    public void Add(bool isError, string text)
    {
        var line = new LogLine(DateTimeOffset.UtcNow, isError, text);
        List<TaskCompletionSource<LogLine>> found = [];
        lock (_gate)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                found.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in found) waiter.TrySetResult(line);
    }

    /// <summary>The first line (already written or still to come) that matches; throws <see cref="TimeoutException"/> with the output after <paramref name="limit"/>.</summary>
    public async Task<LogLine> WaitForAsync(Func<string, bool> match, TimeSpan limit, string what, Task? exited = null)
    {
        var found = new TaskCompletionSource<LogLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(l => match(l.Text)) is { } seen) return seen;
            _waiters.Add((l => match(l.Text), found));
        }
        var deadline = Task.Delay(limit);
        var first = await Task.WhenAny(found.Task, deadline, exited ?? Task.Delay(Timeout.Infinite, CancellationToken.None));
        if (first == found.Task) return await found.Task;
        lock (_gate) _waiters.RemoveAll(w => w.Found == found);
        var why = first == deadline ? $"not within {limit}" : "before the process exited";
        throw new TimeoutException($"{what}: no such line {why}. Output:\n{this}");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Lines) text.AppendLine(line.ToString());
        return text.ToString();
    }
}
