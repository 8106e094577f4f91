using System.Diagnostics;
using System.Globalization;
using Lighthouse.Placement;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Placements per second for each strategy on a generated cluster (fixed seed, so every run places the same
/// problem): 4 resources (cpu, mem, disk, gpu on a fifth of the nodes), tags (a zone per node, ssd on half),
/// a few wards and shortcomings, and aversion groups. Placed in batches of 1,000, and one workload per call
/// for the small size; the row marked "1 +f+r" is the scheduler's pattern: one per call through a filter
/// (one node in eight refused, like a priority range), releasing the oldest workload once 8,000 are placed.
/// Only the Place (and Release) calls are timed.
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- placement [--quick]
/// </summary>
internal static class PlacementBenchmark
{
    private const int Seed = 20261123;
    private static readonly string[] Zones = ["zone-a", "zone-b", "zone-c", "zone-d"];
    private static readonly Dictionary<string, double> Rubric = new() { ["cpu"] = 1, ["mem"] = 0.25, ["disk"] = 0.01, ["gpu"] = 4 };

    public static void Run(string[] args)
    {
        var quick = args.Contains("--quick");
        Console.WriteLine("placement: placements per second (only Place calls timed; cpu = this process's processor time, a steadier figure on a busy machine)");
        Console.WriteLine($"{"strategy",-12} {"nodes",7} {"workloads",9} {"per call",8} {"placed",8} {"unplaced",8} {"seconds",8} {"cpu s",7} {"placements/s",12} {"alloc/workload",15}");

        // Warm up, so that measured rows run fully optimised code rather than paying for tiered compilation.
        foreach (var strategy in Enum.GetValues<StrategyKind>())
        {
            Measure(strategy, 1_000, 10_000, 1_000, print: false);
            Measure(strategy, 1_000, 10_000, 1, print: false);
            Measure(strategy, 1_000, 10_000, 1, schedulerPattern: true, print: false);
        }

        foreach (var strategy in Enum.GetValues<StrategyKind>())
        {
            Measure(strategy, 1_000, 10_000, 1_000);
            Measure(strategy, 1_000, 10_000, 1);
            Measure(strategy, 1_000, 10_000, 1, schedulerPattern: true);
            if (!quick)
                Measure(strategy, 10_000, 100_000, 1_000);
        }
    }

    private static void Measure(StrategyKind strategy, int nodeCount, int workloadCount, int perCall, bool schedulerPattern = false, bool print = true)
    {
        var random = new Random(Seed);
        var nodes = Enumerable.Range(0, nodeCount).Select(index => GenerateNode(index, random)).ToList();
        var workloads = Enumerable.Range(0, workloadCount).Select(index => GenerateWorkload(index, random)).ToArray();
        var batches = workloads.Chunk(perCall).ToArray();
        var distributor = Distributor.Create(strategy, nodes, strategy == StrategyKind.BinPack ? Rubric : null);
        NodeFilter? filter = schedulerPattern ? (_, node) => node[^1] == '7' && node[^2] % 2 == 0 ? "are outside the priority range" : null : null;
        var running = new Queue<string>();

        GC.Collect();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var placed = 0;
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            if (schedulerPattern && running.Count >= 8_000)
                distributor.Release(running.Dequeue());
            var result = distributor.Place(batch, filter);
            for (var index = 0; index < batch.Length; index++)
            {
                if (result.Assignments[index] is null)
                    continue;
                placed++;
                if (schedulerPattern)
                    running.Enqueue(batch[index].Name);
            }
        }
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        if (!print)
            return;

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Distributor.StrategyName(strategy),-12} {nodeCount,7:N0} {workloadCount,9:N0} {(schedulerPattern ? "1 +f+r" : perCall.ToString("N0", CultureInfo.InvariantCulture)),8} {placed,8:N0} {workloadCount - placed,8:N0} {seconds,8:F3} {cpuSeconds,7:F3} {workloadCount / seconds,12:N0} {allocated / workloadCount,13:N0} B"));
    }

    private static NodeSpec GenerateNode(int index, Random random)
    {
        var resources = new Dictionary<string, double>
        {
            ["cpu"] = Pick(random, 16, 32, 64),
            ["mem"] = Pick(random, 64, 128, 256),
            ["disk"] = Pick(random, 500, 1000, 2000),
            [Zones[index % Zones.Length]] = 0,
        };
        if (random.NextDouble() < 0.2)
            resources["gpu"] = Pick(random, 1, 2, 4, 8);
        if (random.NextDouble() < 0.5)
            resources["ssd"] = 0;
        var roll = random.NextDouble();
        if (roll < 0.02)
            resources["maintenance"] = double.NegativeInfinity;   // a ward
        else if (roll < 0.03)
            resources["quarantine"] = -1;                          // a shortcoming
        return new NodeSpec($"node-{index:D5}", resources);
    }

    private static Workload GenerateWorkload(int index, Random random)
    {
        var requirements = new Dictionary<string, double>
        {
            ["cpu"] = Pick(random, 0.5, 1, 2, 2, 4, 4, 8),
            ["mem"] = Pick(random, 1, 2, 4, 8, 16, 32),
            ["disk"] = Pick(random, 5, 10, 20, 50, 100),
        };
        if (random.NextDouble() < 0.05)
            requirements["gpu"] = 1;
        if (random.NextDouble() < 0.2)
            requirements["ssd"] = 0;
        if (random.NextDouble() < 0.1)
            requirements[Zones[random.Next(Zones.Length)]] = 0;
        var immunities = random.NextDouble() < 0.01 ? new HashSet<string> { "maintenance" } : null;
        var groups = random.NextDouble() < 0.05 ? new HashSet<string> { $"group-{random.Next(20)}" } : null;
        return new Workload($"w-{index:D6}", requirements, immunities, groups);
    }

    private static double Pick(Random random, params double[] choices) => choices[random.Next(choices.Length)];
}
