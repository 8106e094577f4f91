using System.Globalization;
using Lighthouse.Placement;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using static Lighthouse.Benchmarks.BenchmarkPrograms;

namespace Lighthouse.Benchmarks;

/// <summary>
/// The scheduler's memory per queued task (issue 13: "1,000,000 queued tasks fit in the memory you document per task"),
/// on its state classes and the placement engine that follows them, as the scheduler actor holds them (no actors):
///   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- memory [--tasks 1000000] [--users 10000] [--payload-bytes 20]
/// <para>
/// Tasks are submitted as <see cref="LighthouseClient"/> sends them (a submission id each) with fresh strings for every
/// field, as deserialised off the wire, so that nothing is shared between tasks that would not be in a host. The
/// managed heap is read after a full, compacting collection: before the state exists, once it is empty (the fixed
/// part), and at every power of ten up to <c>--tasks</c>. Bytes per task = growth over the empty state / tasks queued.
/// The rows are repeated with ten times the users (what a user's queue costs) and with a larger payload (what a byte costs).
/// </para>
/// </summary>
internal static class MemoryBenchmark
{
    public static void Run(string[] args)
    {
        var tasks = Number(args, "--tasks", 1_000_000);
        var users = Number(args, "--users", 10_000);
        var payloadBytes = Number(args, "--payload-bytes", 20);
        Console.WriteLine($"memory benchmark: scheduler state + placement engine, tasks queued and none running (no worker); managed heap after a full compacting GC; load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| users | payload | queued | heap growth | bytes / queued task |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var fixedPart = Fill(tasks, users, payloadBytes);
        Fill(tasks, Math.Max(1, users / 10), payloadBytes);
        Fill(tasks, users, payloadBytes * 10);
        Console.WriteLine();
        Console.WriteLine($"fixed part (an empty scheduler state and placement engine, default settings): {fixedPart / 1024.0:N0} KB; load average at end {LoadAverage()}");
    }

    /// <summary>Queues <paramref name="tasks"/> tasks over <paramref name="users"/> users, printing a row at each power of ten; returns the empty state's size.</summary>
    private static long Fill(int tasks, int users, int payloadBytes)
    {
        var before = Heap();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var state = new SchedulerState(SchedulerSettings.Default with
        {
            QueueCapPerUser = Math.Max(SchedulerSettings.Default.QueueCapPerUser, tasks / users + 1),
            QueueCapTotal = Math.Max(SchedulerSettings.Default.QueueCapTotal, tasks),
        });
        var placer = new TaskPlacer(StrategyKind.Prioritized, null);
        var empty = Heap();
        var padding = new string('x', Math.Max(0, payloadBytes - "{\"n\":\"\"}".Length - 7));
        var checkpoint = 1_000;
        for (var i = 0; i < tasks; i++)
        {
            // Fresh strings for every field, as the wire codec makes them; a 20-byte payload is {"n":"0000001"} plus padding.
            var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"n\":\"{i:D7}{padding}\"}}");
            var submission = new SubmitTask(new string("echo".AsSpan()), payload, string.Create(CultureInfo.InvariantCulture, $"user-{i % users}"),
                SubmissionId: Guid.NewGuid().ToString("N"));
            var decision = state.DecideSubmission(submission, now);
            if (decision.Events.Count == 0) throw new InvalidOperationException($"submission {i} refused: {decision.Reply}");
            foreach (var change in decision.Events)
            {
                state.Apply(change);
                placer.Follow(change, state);
            }
            if (i + 1 == checkpoint || i + 1 == tasks)
            {
                var growth = Heap() - empty;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {users:N0} | {payload.Length} B | {i + 1:N0} | {growth / 1048576.0:N1} MB | {growth / (double)(i + 1):N0} |"));
                checkpoint *= 10;
            }
        }
        GC.KeepAlive(state);
        GC.KeepAlive(placer);
        return empty - before;
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
