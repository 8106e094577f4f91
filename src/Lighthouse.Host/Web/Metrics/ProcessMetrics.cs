using System.Diagnostics.Metrics;

namespace Lighthouse.Host.Web.Metrics;

/// <summary>
/// The host process's own memory on <c>/metrics</c>, so an operator (and the soak benchmark, issue 13) can see it stay
/// flat under load: <c>process_resident_memory_bytes</c> (resident set, what the OS charges the process),
/// <c>dotnet_gc_heap_bytes</c> (the managed heap after the last collection, fragmentation included) and
/// <c>dotnet_gc_committed_bytes</c> (what the collector holds from the OS for it: resident memory beyond that is native). Read at each scrape.
/// </summary>
internal static class ProcessMetrics
{
    public static void AddTo(Meter meter)
    {
        meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By",
            "Resident set size of the host process");
        meter.CreateObservableGauge("dotnet.gc.heap", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By",
            "Managed heap size after the last garbage collection, fragmentation included");
        meter.CreateObservableGauge("dotnet.gc.committed", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By",
            "Memory the garbage collector has committed from the OS for the managed heap, in use or kept for later");
    }
}
