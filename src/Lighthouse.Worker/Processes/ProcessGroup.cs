using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Lighthouse.Worker.Processes;

/// <summary>
/// A child process started as the leader of a process group of its own, with its standard streams piped to us.
/// <para>
/// Why posix_spawn with POSIX_SPAWN_SETPGROUP: the child is in its new group before its program's first instruction,
/// so no grandchild it forks can ever land in the worker's group, and signalling the group (<c>kill(-pid)</c>) works
/// from the first moment. .NET's <see cref="System.Diagnostics.Process"/> cannot do that (its child runs in the
/// worker's group; <c>setpgid</c> from the parent fails once the child has exec'd), starting through
/// <c>/usr/bin/setsid</c> depends on a binary and leaves a window before setsid runs, and Process reports a signal
/// death as the exit code 128+N, indistinguishable from a program that exits with that code. Waiting here with
/// waitpid gives the exact status. The nice value is set on the thread that spawns, which the child inherits at its
/// creation: no moment runs at the worker's priority, and nothing needs changing after the start.
/// </para>
/// Every started group is known to <see cref="Live"/> until its leader is reaped; when the worker process exits, any
/// left is killed (the last line of defence against orphans, after the handlers' and the hub's own stopping).
/// </summary>
public sealed class ProcessGroup
{
    private static readonly ConcurrentDictionary<int, ProcessGroup> Live = new();

    static ProcessGroup()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var group in Live.Values) group.Signal(Posix.SigKill);
        };
    }

    private ProcessGroup(int id, Stream input, Stream output, Stream error, Task<ExitStatus> exited)
    {
        Id = id;
        StandardInput = input;
        StandardOutput = output;
        StandardError = error;
        Exited = exited;
    }

    /// <summary>The leader's process id, which is also the group's id.</summary>
    public int Id { get; }

    public Stream StandardInput { get; }
    public Stream StandardOutput { get; }
    public Stream StandardError { get; }

    /// <summary>Completes when the leader has ended (and been reaped); other members of the group may still run.</summary>
    public Task<ExitStatus> Exited { get; }

    /// <summary>How many started groups have a leader not yet reaped, in this process.</summary>
    internal static int LiveCount => Live.Count;

    /// <summary>
    /// Starts <paramref name="command"/> (argv[0] looked up on PATH unless it has a slash) in a new process group.
    /// Throws <see cref="ProcessStartException"/> saying why it could not start.
    /// </summary>
    public static Task<ProcessGroup> StartAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? workingDirectory, int? nice)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0) throw new ArgumentException("the command is empty", nameof(command));
        if (!OperatingSystem.IsLinux()) throw new ProcessStartException("process handlers run only on Linux");

        var stdin = Pipe();
        var stdout = Pipe();
        var stderr = Pipe();
        var started = new TaskCompletionSource<ProcessGroup>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        // One thread per process: it takes the task's nice value (Linux keeps nice per thread; a child inherits its
        // creator's), spawns, then blocks in waitpid. A dedicated thread, so the nice value is never restored (an
        // unprivileged thread cannot lower it again) and a blocking wait holds no pool thread.
        var thread = new Thread(() =>
        {
            int pid;
            try
            {
                if (nice is { } value && Posix.setpriority(Posix.PrioProcess, 0, value) != 0)
                    throw new ProcessStartException($"cannot set nice {value}: {Posix.Describe(Marshal.GetLastPInvokeError())}" +
                        $"; this worker runs at nice {Posix.CurrentNice()}, and only a privileged worker may raise its tasks' priority above its own");
                pid = Spawn(command, environment, workingDirectory, stdin.Read, stdout.Write, stderr.Write);
            }
            catch (Exception e)
            {
                foreach (var fd in new[] { stdin.Read, stdin.Write, stdout.Read, stdout.Write, stderr.Read, stderr.Write }) Posix.close(fd);
                started.SetException(e);
                return;
            }
            foreach (var fd in new[] { stdin.Read, stdout.Write, stderr.Write }) Posix.close(fd);
            var group = new ProcessGroup(pid, Open(stdin.Write, PipeDirection.Out), Open(stdout.Read, PipeDirection.In), Open(stderr.Read, PipeDirection.In), exited.Task);
            Live[pid] = group;
            started.SetResult(group);

            int status;
            while (Posix.waitpid(pid, out status, 0) == -1)
            {
                if (Marshal.GetLastPInvokeError() == Posix.Eintr) continue;
                // Reaped by someone else (a SIGCHLD set to be ignored): the status is lost, not the end.
                status = 0xff << 8;
                break;
            }
            Live.TryRemove(pid, out _);
            exited.SetResult(ExitStatus.FromWaitStatus(status));
        })
        {
            IsBackground = true,
            Name = $"lighthouse process {command[0]}",
        };
        thread.Start();
        return started.Task;
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the group; false when the group has no process left.</summary>
    public bool Signal(int signal) => Posix.kill(-Id, signal) == 0;

    /// <summary>
    /// SIGTERM to the group; if the leader has not ended after <paramref name="grace"/>, SIGKILL. Then SIGKILL to whatever
    /// is left of the group. True when SIGKILL was needed for the leader.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        Signal(Posix.SigTerm);
        var killed = false;
        try
        {
            await Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            killed = Signal(Posix.SigKill);
            await Exited.ConfigureAwait(false);
        }
        Signal(Posix.SigKill);
        return killed;
    }

    private static int Spawn(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? workingDirectory, int stdin, int stdout, int stderr)
    {
        var actions = Marshal.AllocHGlobal(Posix.OpaqueSize);
        var attributes = Marshal.AllocHGlobal(Posix.OpaqueSize);
        var noSignals = Marshal.AllocHGlobal(Posix.OpaqueSize);
        var allSignals = Marshal.AllocHGlobal(Posix.OpaqueSize);
        var argv = Strings(command);
        var envp = Strings(environment.Select(pair => $"{pair.Key}={pair.Value}").ToList());
        try
        {
            Check(Posix.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(Posix.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try
            {
                Check(Posix.posix_spawn_file_actions_adddup2(actions, stdin, 0), "dup2 stdin");
                Check(Posix.posix_spawn_file_actions_adddup2(actions, stdout, 1), "dup2 stdout");
                Check(Posix.posix_spawn_file_actions_adddup2(actions, stderr, 2), "dup2 stderr");
                if (workingDirectory is not null)
                    Check(Posix.posix_spawn_file_actions_addchdir_np(actions, workingDirectory), "chdir");
                // A new group led by the child (pgroup 0); signals back to their defaults (.NET ignores SIGPIPE, which a
                // child would otherwise inherit) and none blocked.
                Posix.sigemptyset(noSignals);
                Posix.sigfillset(allSignals);
                Check(Posix.posix_spawnattr_setpgroup(attributes, 0), "setpgroup");
                Check(Posix.posix_spawnattr_setsigmask(attributes, noSignals), "setsigmask");
                Check(Posix.posix_spawnattr_setsigdefault(attributes, allSignals), "setsigdefault");
                Check(Posix.posix_spawnattr_setflags(attributes, Posix.SpawnSetPgroup | Posix.SpawnSetSigDefault | Posix.SpawnSetSigMask), "setflags");
                var error = Posix.posix_spawnp(out var pid, command[0], actions, attributes, argv, envp);
                if (error != 0)
                    throw new ProcessStartException($"cannot start \"{command[0]}\"{(workingDirectory is null ? "" : $" in {workingDirectory}")}: {Posix.Describe(error)}");
                return pid;
            }
            finally
            {
                Posix.posix_spawnattr_destroy(attributes);
                Posix.posix_spawn_file_actions_destroy(actions);
            }
        }
        finally
        {
            Free(argv);
            Free(envp);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(noSignals);
            Marshal.FreeHGlobal(allSignals);
        }
    }

    private static void Check(int error, string step)
    {
        if (error != 0) throw new ProcessStartException($"cannot prepare the process ({step}): {Posix.Describe(error)}");
    }

    private static (int Read, int Write) Pipe()
    {
        // Close-on-exec, so that no other child started meanwhile inherits a pipe end and holds it open.
        var fds = new int[2];
        if (Posix.pipe2(fds, Posix.OCloexec) != 0)
            throw new ProcessStartException($"cannot create a pipe: {Posix.Describe(Marshal.GetLastPInvokeError())}");
        return (fds[0], fds[1]);
    }

    // The same stream type .NET's Process uses for redirected streams on Unix.
    private static Stream Open(int fd, PipeDirection direction) =>
        new AnonymousPipeClientStream(direction, new SafePipeHandle(fd, ownsHandle: true));

    private static IntPtr[] Strings(IReadOnlyList<string> strings)
    {
        var pointers = new IntPtr[strings.Count + 1];
        for (var i = 0; i < strings.Count; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        return pointers;
    }

    private static void Free(IntPtr[] pointers)
    {
        foreach (var pointer in pointers)
            if (pointer != IntPtr.Zero) Marshal.FreeCoTaskMem(pointer);
    }
}

/// <summary>A process could not be started; the message says why.</summary>
public sealed class ProcessStartException(string message) : Exception(message);
