using System.Runtime.InteropServices;

namespace Lighthouse.Worker.Processes;

/// <summary>
/// The few libc calls process handlers need and .NET does not offer: spawning a child in a new process group
/// (posix_spawn with POSIX_SPAWN_SETPGROUP), signalling a group, waiting for the exact wait status, and nice values.
/// Constants are Linux's (x86-64 and arm64 share them).
/// </summary>
internal static class Posix
{
    private const string Libc = "libc";

    public const int SigKill = 9;
    public const int SigTerm = 15;

    public const int PrioProcess = 0;
    public const int OCloexec = 0x80000;
    public const int Eintr = 4;
    public const int Esrch = 3;

    public const short SpawnSetPgroup = 0x02;
    public const short SpawnSetSigDefault = 0x04;
    public const short SpawnSetSigMask = 0x08;

    // posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t are opaque; glibc's are 80, 336 and 128 bytes.
    public const int OpaqueSize = 1024;

    [DllImport(Libc, SetLastError = true)]
    public static extern int pipe2([Out] int[] fds, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern int close(int fd);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_init(IntPtr actions);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_adddup2(IntPtr actions, int fd, int newFd);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_addchdir_np(IntPtr actions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_destroy(IntPtr actions);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_init(IntPtr attributes);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setflags(IntPtr attributes, short flags);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setpgroup(IntPtr attributes, int processGroup);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigmask(IntPtr attributes, IntPtr signals);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigdefault(IntPtr attributes, IntPtr signals);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_destroy(IntPtr attributes);

    [DllImport(Libc)]
    public static extern int sigemptyset(IntPtr signals);

    [DllImport(Libc)]
    public static extern int sigfillset(IntPtr signals);

    /// <summary>Returns 0 or an error number (not errno). Searches PATH for a file name without a slash.</summary>
    [DllImport(Libc)]
    public static extern int posix_spawnp(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string file, IntPtr actions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [DllImport(Libc, SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    [DllImport(Libc, SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport(Libc, SetLastError = true)]
    public static extern int setpriority(int which, int who, int priority);

    [DllImport(Libc, SetLastError = true)]
    public static extern int getpriority(int which, int who);

    /// <summary>The nice value of the calling thread (on Linux, who = 0 is the calling thread, not the whole process).</summary>
    public static int CurrentNice()
    {
        Marshal.SetLastPInvokeError(0);
        var nice = getpriority(PrioProcess, 0);
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? 0 : nice;
    }

    /// <summary>Sets the nice value of every thread of this process (Linux keeps one per thread; new threads inherit their creator's).</summary>
    public static string? SetProcessNice(int nice)
    {
        var threads = Directory.Exists("/proc/self/task")
            ? Directory.GetDirectories("/proc/self/task").Select(d => int.TryParse(Path.GetFileName(d), out var tid) ? tid : 0).Where(t => t > 0).ToList()
            : [0];
        foreach (var thread in threads)
        {
            if (setpriority(PrioProcess, thread, nice) == 0) continue;
            var error = Marshal.GetLastPInvokeError();
            if (error == Esrch) continue; // the thread ended meanwhile
            return Describe(error);
        }
        return null;
    }

    /// <summary><c>Permission denied (errno 13)</c>.</summary>
    public static string Describe(int error) => $"{Marshal.GetPInvokeErrorMessage(error)} (errno {error})";
}
