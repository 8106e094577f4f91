using System.Diagnostics;
using System.Globalization;
using Lighthouse.Placement;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Benchmarks;

/// <summary>
/// Dispatches per second against queue depth, on the scheduler's state classes and the real placement
/// engine (no actors): the hot path is "a task ends, the next one is chosen, placed and started". The
/// cluster is full and stays full, so every dispatch follows a release, as in steady operation; the
/// queue is topped up (untimed) so its depth stays near the nominal figure.
/// <para>
/// Two mixes: <c>uniform</c> (every task fits once a slot frees) and <c>20% unplaceable</c> (one task in
/// five needs a resource no node has and outranks the others, so most users' first shape is blocked and
/// dispatch has to skip it).
/// </para>
/// <para>Memory per queued task is the managed heap growth from filling the queue, divided by its depth.</para>
/// </summary>
internal static class DispatchBenchmark
{
    private const int Nodes = 50;
    private const int SlotsPerNode = 20;

    public static void Run(string[] args)
    {
        var quick = args.Contains("--quick");
        (int Queued, int Users)[] depths = quick
            ? [(1_000, 10), (100_000, 1_000)]
            : [(1_000, 10), (100_000, 1_000), (1_000_000, 10_000)];
        var cycles = quick ? 100_000 : 300_000;

        Console.WriteLine($"dispatch benchmark: {Nodes} nodes x {SlotsPerNode} slots, prioritized, {cycles:N0} dispatches per row{(quick ? " (--quick: 1M skipped)" : "")}");
        Console.WriteLine();
        // Warm up the JIT on a small run so that the first row does not pay for it.
        Measure(1_000, 10, unplaceable: true, cycles: 20_000);

        Console.WriteLine("| mix | queued | users | bytes/queued task | submits/s | dispatches/s | µs/dispatch | allocated B/dispatch | vs 1k |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var unplaceable in new[] { false, true })
        {
            double? baseline = null;
            foreach (var (queued, users) in depths)
            {
                var row = Measure(queued, users, unplaceable, cycles);
                baseline ??= row.MicrosPerDispatch;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(unplaceable ? "20% unplaceable" : "uniform")} | {queued:N0} | {users:N0} | {row.BytesPerTask:N0} | {row.SubmitsPerSecond:N0} | {row.DispatchesPerSecond:N0} | {row.MicrosPerDispatch:F2} | {row.AllocatedPerDispatch:N0} | {row.MicrosPerDispatch / baseline.Value:F2}x |"));
            }
        }
    }

    private sealed record Row(double BytesPerTask, double SubmitsPerSecond, double DispatchesPerSecond, double MicrosPerDispatch, double AllocatedPerDispatch);

    private static Row Measure(int depth, int users, bool unplaceable, int cycles)
    {
        var settings = SchedulerSettings.Default with { QueueCapPerUser = Math.Max(1000, 2 * depth / users) };
        var state = new SchedulerState(settings);
        var placer = new TaskPlacer(StrategyKind.Prioritized, null);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var running = new Queue<string>();
        long submitted = 0;

        for (var n = 0; n < Nodes; n++)
        {
            var registration = new RegisterWorker($"node-{n:D2}", new Dictionary<string, double> { ["cpu"] = 64 }, ["echo"], PriorityRange.All, SlotsPerNode);
            foreach (var change in state.DecideRegistration(registration, now).Events) Apply(change);
        }

        void Apply(SchedulerEvent change)
        {
            state.Apply(change);
            switch (change)
            {
                case NodeRegistered registered: placer.AddNode(registered); break;
                case TaskFinished finished: placer.Release(finished.TaskId); break;
                case TaskStarted started: running.Enqueue(started.TaskId); break;
            }
        }

        // Refills add only placeable tasks, so the unplaceable share of the queue stays what the fill made it.
        void Submit(bool refill = false)
        {
            var i = submitted++;
            var blocked = unplaceable && !refill && i % 5 == 0;
            var requirements = blocked
                ? new Dictionary<string, double> { ["cpu"] = 1, ["gpu"] = 1 }
                : new Dictionary<string, double> { ["cpu"] = 1 };
            var submission = new SubmitTask("echo", "{}", $"user-{i % users}", blocked ? 2 : (int)(i % 2), requirements);
            var decision = state.DecideSubmission(submission, now);
            if (decision.Events.Count == 0) throw new InvalidOperationException($"submission refused: {decision.Reply}");
            foreach (var change in decision.Events) Apply(change);
        }

        bool DispatchOne()
        {
            while (state.NextPlacement() is { } request)
            {
                var outcome = placer.Place(request);
                var decision = state.DecidePlacement(outcome, now);
                if (decision.Release) placer.Release(outcome.TaskId);
                foreach (var change in decision.Events) Apply(change);
                if (outcome.Node is not null) return true;
            }
            return false;
        }

        // Fill the queue: memory per task and submission rate.
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var fill = Stopwatch.StartNew();
        for (var i = 0; i < depth; i++) Submit();
        fill.Stop();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var placeableDepth = unplaceable ? depth - depth / 5 : depth;

        // Fill the cluster and top the queue up again (untimed), then the steady state: one task ends, the next starts.
        while (DispatchOne()) { }
        while (state.Queues.Queued < depth) Submit(refill: true);
        var watch = new Stopwatch();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long allocatedInRefills = 0;
        var done = 0;
        while (done < cycles)
        {
            var round = Math.Min(cycles - done, Math.Max(1, placeableDepth / 2));
            watch.Start();
            for (var i = 0; i < round; i++)
            {
                var finishing = running.Dequeue();
                var node = state.Tasks.Find(finishing)!.Node!;
                foreach (var change in state.DecideReport(node, new ReportSuccess(finishing, "{}"), now).Events) Apply(change);
                if (!DispatchOne()) throw new InvalidOperationException("nothing could start: the benchmark's queue ran dry");
            }
            watch.Stop();
            done += round;

            // Top the queue up to its nominal depth, outside the timing.
            var refillStart = GC.GetAllocatedBytesForCurrentThread();
            while (state.Queues.Queued < depth) Submit(refill: true);
            foreach (var forgotten in state.DecideExpiry(now + TimeSpan.FromDays(1))) Apply(forgotten);
            allocatedInRefills += GC.GetAllocatedBytesForCurrentThread() - refillStart;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore - allocatedInRefills;

        return new Row(
            BytesPerTask: (memoryAfter - memoryBefore) / (double)depth,
            SubmitsPerSecond: depth / fill.Elapsed.TotalSeconds,
            DispatchesPerSecond: cycles / watch.Elapsed.TotalSeconds,
            MicrosPerDispatch: watch.Elapsed.TotalMicroseconds / cycles,
            AllocatedPerDispatch: allocated / (double)cycles);
    }
}
