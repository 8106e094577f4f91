using System.Text;
using System.Text.Json;
using Lighthouse.Client;
using Lighthouse.Host.Json;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Json;

/// <summary>Views with every kind of value the JSON writers spell: infinities, nulls, raw results, non-ASCII, quotes.</summary>
internal static class OutputSamples
{
    public static readonly DateTimeOffset Instant = new(2025, 1, 31, 10, 30, 0, 125, TimeSpan.FromHours(1));

    public static TaskInfo Succeeded { get; } = new("task-7", "render", "zoë", -2, TaskState.Succeeded, 100,
        """{"é": [1e300, null, true], "q": "say \"hi\""}""", null, "n1", 1, 3, Instant, Instant.AddSeconds(1), Instant.AddSeconds(2.5), null, false, "s-1");

    public static TaskInfo Queued { get; } = new("task-8", "gpu", "alice", 5, TaskState.Queued, 0, null, null, null, 0, 3, Instant,
        null, null, "0/1 nodes fit: 1 lack \"gpu\"", false, "s-2", WaitsForCapacity: false);

    public static TaskInfo Running { get; } = new("task-9", "sleep", "bob", 0, TaskState.Running, 42.5, "not json", "an <error> & more", "n2", 2, 3,
        Instant, Instant.AddMilliseconds(7), null, null, true, "s-3", WaitsForCapacity: true);

    public static NodesView Nodes { get; } = new(
    [
        new NodeView("n1", WorkerNodeState.Reachable,
            new Dictionary<string, double> { ["slots"] = 4, ["cpu"] = 0.30000000000000004, ["spiders"] = double.NegativeInfinity, ["disk"] = double.PositiveInfinity, ["task:echo"] = 0 },
            new Dictionary<string, double> { ["slots"] = 3, ["cpu"] = 0.1, ["spiders"] = double.NegativeInfinity, ["disk"] = double.PositiveInfinity, ["task:echo"] = 0 },
            4, 3, ["task-9"], ["echo", "sleep"], new PriorityRange(0, 9), Instant),
        new NodeView("n2", WorkerNodeState.Unreachable, new Dictionary<string, double>(), new Dictionary<string, double>(),
            1, 1, [], [], PriorityRange.All, Instant.AddDays(-1)),
    ]);

    public static QueuesView Queues { get; } = new(3, 1, new Dictionary<int, int> { [5] = 1, [-1] = 2 },
    [
        new UserQueueView("alice", 2, 1, new Dictionary<int, int> { [5] = 1, [-1] = 1 }),
        new UserQueueView("zoë", 1, 0, new Dictionary<int, int> { [-1] = 1 }),
    ]);

    public static StatisticsView Statistics { get; } = new(
    [
        new TaskNameStatistics("echo", 3, 1, 1, 1,
            new DurationSummary(3, TimeSpan.FromMilliseconds(1.5), TimeSpan.FromSeconds(0.25), TimeSpan.FromMinutes(2)),
            new DurationSummary(3, TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1))),
        new TaskNameStatistics("never", 1, 0, 0, 1, null, null),
    ]);

    public static HistoryView History { get; } = new(TimeSpan.FromSeconds(5),
        [new HistorySample(Instant, 3, 2, 1, 4, 1), new HistorySample(Instant.AddSeconds(5), 0, 0, 0, 0, 0)]);

    public static ClusterView Cluster { get; } = new(true, "akka.tcp://lighthouse@10.0.0.1:4053", null,
    [
        new ClusterMemberView("akka.tcp://lighthouse@10.0.0.1:4053", "up", true, ["scheduler"], false, true),
        new ClusterMemberView("akka.tcp://lighthouse@10.0.0.2:4053", "weakly_up", false, [], false, false),
    ]);

    public static Overview Overview { get; } = new(Instant, Cluster, Nodes,
        new Dictionary<string, TaskInfo> { ["task-9"] = Running }, Queues, new WaitingTasks(Queued, [Queued]), Statistics, History)
    {
        Policies = new PolicyWaiting(1, 0, 2, 0,
            [new PolicyWaitingTask("task-11", "echo", "zoë", PolicyWait.Delayed, "not before 10:42:03Z", Instant, Instant.AddHours(1))]),
    };

    public static CancelResult[] CancelResults { get; } =
    [
        new("task-1", CancelOutcome.Cancelled),
        new("task-2", CancelOutcome.Pending, "n1"),
        new("task-3", CancelOutcome.AlreadyFinished, FinishedState: TaskState.Failed),
        new("task-4", CancelOutcome.AlreadyFinished),
    ];

    /// <summary>What the HTTP API sends for <paramref name="write"/>.</summary>
    public static string Compact(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonText.Compact)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
