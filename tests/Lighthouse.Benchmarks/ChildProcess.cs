using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lighthouse.Benchmarks;

/// <summary>A program run under <c>dotnet</c>, its recent output kept for error messages; killed (with its children) when disposed.</summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 200;
    private static readonly ConcurrentDictionary<ChildProcess, bool> Started = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The benchmark's cluster is described by its flags alone, never by the machine's LIGHTHOUSE_* settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("LIGHTHOUSE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        // A host at full speed seconds after its start, as README "Running a cluster" advises for a busy host
        // (lighthouse-worker has this in its runtime configuration; lighthouse does not, for its one-shot commands).
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        var child = new ChildProcess(name, new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => child.Received(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Received(e.Data);
        child._process.Start();
        Started[child] = true;
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public static void KillAll()
    {
        foreach (var child in Started.Keys) child.Dispose();
    }

    /// <summary>Waits for an output line that matches; throws naming <paramref name="what"/> when none comes in time or the process exits first.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan limit, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            // A line may have come before the wait began.
            if (_tail.FirstOrDefault(match) is { } seen) return seen;
            _waiters.Add((match, found));
        }
        var deadline = Stopwatch.StartNew();
        while (!found.Task.Wait(TimeSpan.FromMilliseconds(100)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before {what}:\n{Tail()}");
            if (deadline.Elapsed > limit) throw new TimeoutException($"{Name}: no {what} within {limit}:\n{Tail()}");
        }
        return found.Task.Result;
    }

    /// <summary>Waits for the process to exit and returns its output (the last lines kept); throws when it overstays <paramref name="limit"/>.</summary>
    public string WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit)) throw new TimeoutException($"{Name} did not exit within {limit}:\n{Tail()}");
        _process.WaitForExit();
        return Tail();
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: the process leaves its cluster without a word.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public string Tail() => string.Join('\n', _tail);

    public int Id => _process.Id;

    /// <summary>User + system processor time the process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public void Dispose()
    {
        if (!Started.TryRemove(this, out _)) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null) return;
        lock (_waiters)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.TryDequeue(out _);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                _waiters[i].Found.TrySetResult(line);
                _waiters.RemoveAt(i);
            }
        }
    }
}
