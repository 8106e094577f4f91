namespace Lighthouse.Worker.Processes;

/// <summary>The OS priority of the worker process itself (<c>lighthouse-worker --nice</c>).</summary>
public static class OwnPriority
{
    /// <summary>
    /// Sets the nice value of every thread of this process (Linux keeps one per thread, and new threads and child
    /// processes inherit their creator's); null on success, else why it failed.
    /// </summary>
    public static string? SetNice(int nice)
    {
        if (!OperatingSystem.IsLinux()) return "setting the nice value is supported on Linux only";
        return Posix.SetProcessNice(nice);
    }

    /// <summary>The nice value of the calling thread.</summary>
    public static int Nice => OperatingSystem.IsLinux() ? Posix.CurrentNice() : 0;
}
