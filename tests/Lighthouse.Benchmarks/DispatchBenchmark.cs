namespace Lighthouse.Benchmarks;

/// <summary>Dispatches per second against queue depth (to be written with the scheduler core).</summary>
internal static class DispatchBenchmark
{
    public static void Run(string[] args) => throw new NotImplementedException();
}
