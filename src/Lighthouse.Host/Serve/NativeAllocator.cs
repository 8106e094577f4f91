using System.Runtime.InteropServices;

namespace Lighthouse.Host.Serve;

/// <summary>
/// Keeps the C library's allocator from holding on to what the SQLite journal frees. Under a steady load (the soak
/// benchmark, issue 13; docs/benchmarks.md "Memory under steady load") a host on SQLite grew by ~300 MB in 10 minutes
/// outside the managed heap, in glibc's malloc arenas (16 of them on 2 cores, 288 MB resident), while the same host with
/// no journal stayed flat. The likely cause: the journal hands SQLite large blocks (snapshots of the retained tasks are
/// ~10 MB) from many pool threads, and glibc's dynamic mmap threshold, raised by the first such block freed, then serves
/// every later one from whichever thread's arena, which keeps the space. With a fixed threshold (blocks that large are
/// mapped on their own and unmapped when freed) and arenas capped at 2 (those made before stay), the arenas held 39 MB and the host's memory
/// outside the managed heap stayed flat. (<c>MALLOC_ARENA_MAX</c> and <c>MALLOC_MMAP_THRESHOLD_</c> set in the
/// environment are left to win.)
/// </summary>
internal static class NativeAllocator
{
    // glibc's mallopt parameters (malloc.h).
    private const int MmapThreshold = -3;
    private const int ArenaMax = -8;

    /// <summary>Allocations from this size up are mapped on their own and given back to the OS when freed.</summary>
    private const int MappedFrom = 256 * 1024;

    /// <summary>Arenas for threads that allocate at once (glibc's default is 8 per core); those already made stay.</summary>
    private const int Arenas = 2;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    public static void KeepFreedMemoryReturnable()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null) MallOpt(ArenaMax, Arenas);
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null) MallOpt(MmapThreshold, MappedFrom);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without mallopt (musl has a stub): its allocator is what it is.
        }
    }
}
