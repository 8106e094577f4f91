using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lighthouse.Chaos;

/// <summary>
/// One incarnation of a program of the cluster under test (<c>lighthouse serve</c> or <c>lighthouse-worker</c>) run under
/// <c>dotnet</c>: its whole output goes to a log file of its own in the run's directory (for a finding's evidence) and its
/// last lines stay in memory (for error messages). The fault injector signals it; disposing kills it and its children.
/// Every incarnation ever started is killed when the harness ends, fails or is interrupted (<see cref="KillAll"/>).
/// </summary>
internal sealed class ChaosProcess : IDisposable
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    private const int TailLines = 300;
    private static readonly ConcurrentDictionary<ChaosProcess, bool> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChaosProcess(string name, string logPath, Process process)
    {
        Name = name;
        LogPath = logPath;
        _process = process;
        _log = new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    /// <summary>The slot's name and incarnation, e.g. <c>h2#3</c>.</summary>
    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    public Task Exited => _exited.Task;

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>True while stopped by SIGSTOP (and not yet continued).</summary>
    public bool Paused { get; private set; }

    public static ChaosProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
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
        // The cluster is described by the harness alone, never by the machine's LIGHTHOUSE_* settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("LIGHTHOUSE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var child = new ChaosProcess(name, logPath, new Process { StartInfo = start, EnableRaisingEvents = true });
        child._log.WriteLine($"# {DateTimeOffset.UtcNow:O} {name}: {string.Join(' ', start.ArgumentList)}");
        child._process.OutputDataReceived += (_, e) => child.Received(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Received(e.Data);
        child._process.Exited += (_, _) => child._exited.TrySetResult();
        child._process.Start();
        Running[child] = true;
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Kills every incarnation still running (SIGKILL works on a stopped process too).</summary>
    public static void KillAll()
    {
        foreach (var child in Running.Keys) child.Dispose();
    }

    /// <summary>The first output line that matches (already written or still to come); throws naming <paramref name="what"/> when none comes in time or the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_tail.FirstOrDefault(match) is { } seen) return seen;
            _waiters.Add((match, found));
        }
        var first = await Task.WhenAny(found.Task, Task.Delay(limit), _exited.Task);
        if (first == found.Task) return await found.Task;
        lock (_gate) _waiters.RemoveAll(w => w.Found == found);
        throw new TimeoutException(first == _exited.Task
            ? $"{Name} exited with code {_process.ExitCode} before {what}:\n{Tail()}"
            : $"{Name}: no {what} within {limit}:\n{Tail()}");
    }

    /// <summary>Sends <paramref name="signal"/>, as <c>kill -SIGNAL PID</c>; false when the process is already gone.</summary>
    public bool Signal(int signal)
    {
        if (HasExited) return false;
        Note($"harness sends signal {signal}");
        if (kill(_process.Id, signal) != 0) return false;
        if (signal == SigStop) Paused = true;
        if (signal == SigCont) Paused = false;
        return true;
    }

    /// <summary>Writes a line of the harness into this process's log, so the log reads as one story.</summary>
    public void Note(string text)
    {
        lock (_gate)
        {
            try { _log.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} ### {text}"); }
            catch (ObjectDisposedException) { }
        }
    }

    public string Tail() => string.Join('\n', _tail);

    /// <summary>How often this process said it was removed from the cluster and joins again as a new member (host or worker).</summary>
    public int Rejoins => Volatile.Read(ref _rejoins);

    private int _rejoins;

    public IEnumerable<string> TailLinesMatching(Func<string, bool> match) => _tail.Where(match);

    public void Dispose()
    {
        if (!Running.TryRemove(this, out _)) return;
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
        lock (_gate) _log.Dispose();
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> found = [];
        lock (_gate)
        {
            try { _log.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}"); }
            catch (ObjectDisposedException) { }
            _tail.Enqueue(line);
            if (line.Contains("was removed from the cluster", StringComparison.Ordinal) && line.Contains("joining again as", StringComparison.Ordinal))
                Interlocked.Increment(ref _rejoins);
            while (_tail.Count > TailLines) _tail.TryDequeue(out _);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                found.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in found) waiter.TrySetResult(line);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
