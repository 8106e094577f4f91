using System.Globalization;

namespace Lighthouse.Benchmarks;

/// <summary>How much memory a process started by a benchmark holds: its resident set from /proc, a host's managed heap from its /metrics.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS of <c>/proc/PID/status</c>, in bytes.</summary>
    public static long ResidentBytes(int pid) => StatusBytes(pid, "VmRSS:");

    /// <summary>VmHWM of <c>/proc/PID/status</c>: the most the process has been resident since it started, in bytes.</summary>
    public static long PeakResidentBytes(int pid) => StatusBytes(pid, "VmHWM:");

    private static long StatusBytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var kilobytes = line[field.Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field} line");
    }

    /// <summary>The host's <c>dotnet_gc_heap_bytes</c> from its /metrics, or null when it does not say (an older host, a slow answer).</summary>
    public static Task<long?> HostHeap(HttpClient http) => HostGauge(http, "dotnet_gc_heap_bytes");

    /// <summary>The host's <c>dotnet_gc_committed_bytes</c>: what its garbage collector holds from the OS.</summary>
    public static Task<long?> HostCommitted(HttpClient http) => HostGauge(http, "dotnet_gc_committed_bytes");

    private static async Task<long?> HostGauge(HttpClient http, string name)
    {
        try
        {
            var text = await http.GetStringAsync("/metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal));
            return line is null ? null : (long)double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The size of every file under <paramref name="path"/>: a journal on disk.</summary>
    public static long DirectoryBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
