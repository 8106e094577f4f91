namespace Lighthouse.Protocol;

// Read-only queries for the monitor page, the HTTP API and the CLI. They read the scheduler's state
// and never change it.

/// <summary>Asks for every registered worker node. Answered by <see cref="NodesView"/>.</summary>
public sealed record GetNodes
{
    public static GetNodes Instance { get; } = new();
}

/// <summary>Whether a registered node gets new tasks.</summary>
public enum WorkerNodeState
{
    Reachable,
    Unreachable,
}

/// <summary>One lane of a worker node (see <see cref="WorkerLane"/>): its slots, how many are free, its priorities and the nice value of its processes.</summary>
public sealed record LaneView(int Slots, int FreeSlots, PriorityRange Priorities, int? Nice);

/// <summary>
/// One worker node: declared resources, what is free after its running tasks' requirements, its
/// slots, running task ids, handled task names and accepted priorities; <paramref name="Lanes"/> when it has lanes, else null.
/// </summary>
public sealed record NodeView(
    string Node,
    WorkerNodeState State,
    IReadOnlyDictionary<string, double> Capacity,
    IReadOnlyDictionary<string, double> Free,
    int Slots,
    int FreeSlots,
    IReadOnlyList<string> RunningTasks,
    IReadOnlyList<string> TaskNames,
    PriorityRange Priorities,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<LaneView>? Lanes = null);

/// <summary>The nodes in name order.</summary>
public sealed record NodesView(IReadOnlyList<NodeView> Nodes);

/// <summary>Asks for queue depths. Answered by <see cref="QueuesView"/>.</summary>
public sealed record GetQueues
{
    public static GetQueues Instance { get; } = new();
}

/// <summary>One user's queued and running task counts, and queued counts per priority.</summary>
public sealed record UserQueueView(string UserId, int Queued, int Running, IReadOnlyDictionary<int, int> QueuedByPriority);

/// <summary>Totals, queued counts per priority, and every user with queued or running tasks (in user id order).</summary>
public sealed record QueuesView(int Queued, int Running, IReadOnlyDictionary<int, int> QueuedByPriority, IReadOnlyList<UserQueueView> Users);

/// <summary>Asks for statistics per task name. Answered by <see cref="StatisticsView"/>.</summary>
public sealed record GetStatistics
{
    public static GetStatistics Instance { get; } = new();
}

/// <summary>Minimum, mean and maximum of <paramref name="Count"/> durations.</summary>
public sealed record DurationSummary(int Count, TimeSpan Min, TimeSpan Mean, TimeSpan Max);

/// <summary>
/// Finished tasks of one task name: how many, how they ended, how long they ran (start to finish of
/// the last attempt) and waited (submission to that start). Null durations when no task of the name ever started.
/// </summary>
public sealed record TaskNameStatistics(
    string TaskName,
    int Finished,
    int Succeeded,
    int Failed,
    int Cancelled,
    DurationSummary? RunTime,
    DurationSummary? WaitTime);

/// <summary>Statistics in task name order.</summary>
public sealed record StatisticsView(IReadOnlyList<TaskNameStatistics> TaskNames);

/// <summary>Asks for the recent throughput history. Answered by <see cref="HistoryView"/>.</summary>
public sealed record GetHistory
{
    public static GetHistory Instance { get; } = new();
}

/// <summary>One interval: tasks submitted, started and finished during it, and queue depth and running count at its end.</summary>
public sealed record HistorySample(DateTimeOffset Start, int Submitted, int Started, int Finished, int Queued, int Running);

/// <summary>Samples oldest first, one per <paramref name="Interval"/>, covering at most the configured history length.</summary>
public sealed record HistoryView(TimeSpan Interval, IReadOnlyList<HistorySample> Samples);
