using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lighthouse.IntegrationTests.Fixtures;

/// <summary>
/// A program of this repository (<c>lighthouse.dll</c>, <c>lighthouse-worker.dll</c>, built into the test's output)
/// running as a real process under <c>dotnet</c>, its output captured in <see cref="Log"/>. Every wait is bounded;
/// disposing kills the process and its children if they still run, so a failing test leaves nothing behind.
/// </summary>
public class ManagedProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>How long a process is given to exit after being killed at disposal.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ManagedProcess(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        Name = name;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ProgramPath(assembly));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Only what the test sets: a LIGHTHOUSE_* variable of the machine running the tests must not leak in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("LIGHTHOUSE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        Arguments = start.ArgumentList.Skip(1).ToList();

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Log.Add(false, e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log.Add(true, e.Data); };
        _process.Exited += (_, _) => _exited.TrySetResult();
        StartedAt = DateTimeOffset.UtcNow;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Where the build put <paramref name="assembly"/> with its own dependencies: <c>programs/NAME/</c> under the tests'
    /// output (see the CopyLighthousePrograms target of this project).
    /// </summary>
    public static string ProgramPath(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "programs", Path.GetFileNameWithoutExtension(assembly), assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build tests/Lighthouse.IntegrationTests, which copies the programs there", path);
    }

    /// <summary>What the test calls it in messages, e.g. <c>host</c> or <c>worker w1</c>.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Arguments { get; }

    public ProcessLog Log { get; } = new();

    public DateTimeOffset StartedAt { get; }

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The first output line that matches; throws <see cref="TimeoutException"/> with the whole output when none comes in time or the process exits first.</summary>
    public Task<LogLine> WaitForLineAsync(Func<string, bool> match, TimeSpan limit, string what) =>
        Log.WaitForAsync(match, limit, $"{Name}: {what}", _exited.Task);

    /// <summary>Sends <paramref name="signal"/> (e.g. <see cref="SigTerm"/>), as <c>kill -SIGNAL PID</c> would.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"{Name}: kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary><c>kill -9</c>: the process dies at once, leaving its cluster without a word.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>The exit code, once the process has exited and its output is read to the end; throws <see cref="TimeoutException"/> after <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {limit}. Output:\n{Log}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(KillWait);
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone after SIGKILL (nothing more a test can do).
        }
        _process.Dispose();
    }

    public override string ToString() => $"{Name} (pid {Id}: {string.Join(' ', Arguments)})";

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
