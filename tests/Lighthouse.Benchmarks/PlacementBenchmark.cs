namespace Lighthouse.Benchmarks;

/// <summary>Placements per second for each strategy (to be written with the placement engine).</summary>
internal static class PlacementBenchmark
{
    public static void Run(string[] args) => throw new NotImplementedException();
}
