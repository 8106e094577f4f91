namespace Lighthouse.Benchmarks;

/// <summary>
/// How much processor time a process's tiered-compilation thread (".NET Tiered Compilation", the runtime's background
/// JIT that recompiles hot methods with full optimisation) has spent, read from <c>/proc</c> on Linux. The end-to-end
/// benchmark warms up until this thread is quiet in every process: while it works, a phase measures the JIT as much as
/// Lighthouse, and how long it keeps working after a fixed warm-up varies from run to run and with what the run exercises
/// (TLS brings DotNetty's TLS handler and SslStream into every process).
/// </summary>
internal static class TieredJit
{
    // The kernel truncates thread names to 15 characters.
    private const string ThreadName = ".NET Tiered Com";

    // The kernel's clock ticks per second for /proc times (USER_HZ); 100 on every Linux .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Can this machine tell (Linux /proc)?</summary>
    public static bool Available { get; } = Directory.Exists("/proc/self/task");

    /// <summary>Processor ticks of each tiered-compilation thread of <paramref name="pid"/> alive now, by thread id.</summary>
    public static Dictionary<string, long> Threads(int pid)
    {
        var ticks = new Dictionary<string, long>();
        if (!Available) return ticks;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(ThreadName, StringComparison.Ordinal)) continue;
                    // Fields after the name in parentheses (which may hold spaces): utime and stime are the 14th and 15th.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks[Path.GetFileName(task)] = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                        long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended while being read: it has nothing left to compile.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The process ended.
        }
        return ticks;
    }

    /// <summary>The tiered-compilation time between two readings of <see cref="Threads"/> (a thread that ended in between is not counted).</summary>
    public static TimeSpan Between(Dictionary<string, long> before, Dictionary<string, long> after) =>
        TimeSpan.FromSeconds(after.Sum(t => t.Value - before.GetValueOrDefault(t.Key)) / TicksPerSecond);
}
