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

/// <summary>
/// Asks for queue depths and one page of the users with queued or running tasks, busiest first (most queued, then most
/// running, then user id): <paramref name="Limit"/> users from <paramref name="Offset"/>. Answered by <see cref="QueuesView"/>.
/// <para>
/// <see cref="Instance"/> (no page given) is the request of clients before paging: it is answered with the first
/// <see cref="DefaultLimit"/> users, in the view's old encoding, which those clients read. A page given travels under an
/// extended manifest, and its answer carries the total of users and the blocked count (<see cref="QueuesView.UserCount"/>).
/// </para>
/// </summary>
public sealed record GetQueues(int Offset = 0, int? Limit = null)
{
    /// <summary>Users a page lists when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most users one page may list.</summary>
    public const int MaxLimit = 1000;

    public static GetQueues Instance { get; } = new();

    /// <summary>Whether a page was given (so the request and its answer use the extended encodings).</summary>
    public bool IsPaged => Offset != 0 || Limit is not null;

    /// <summary>What is wrong with a page, naming the field; null when it is fine. The scheduler clamps what a caller did not check.</summary>
    public static string? Problem(int offset, int? limit)
    {
        if (offset < 0) return $"offset = {offset} is invalid: it must be a whole number of at least 0";
        if (limit is < 0 or > MaxLimit) return $"limit = {limit} is invalid: it must be a whole number between 0 and {MaxLimit} (the most users one page lists)";
        return null;
    }
}

/// <summary>One user's queued and running task counts, and queued counts per priority.</summary>
public sealed record UserQueueView(string UserId, int Queued, int Running, IReadOnlyDictionary<int, int> QueuedByPriority);

/// <summary>
/// Totals, queued counts per priority, and one page of the users with queued or running tasks, busiest first (see
/// <see cref="GetQueues"/>). A scheduler before paging listed every user in user id order and left the fields below unset.
/// </summary>
public sealed record QueuesView(int Queued, int Running, IReadOnlyDictionary<int, int> QueuedByPriority, IReadOnlyList<UserQueueView> Users)
{
    /// <summary>Users with queued or running tasks in all; null in an answer to <see cref="GetQueues.Instance"/> (the old encoding).</summary>
    public int? UserCount { get; init; }

    /// <summary>How many of the busiest users come before <see cref="Users"/>.</summary>
    public int Offset { get; init; }

    /// <summary>
    /// Queued tasks no worker node can take now: every queued one when no node is reachable, else those whose placement
    /// shape the engine found no current node could ever take (their pending reason says why). Counted over every queued
    /// task, like <see cref="Queued"/>; a task waiting for running ones to free room is not blocked.
    /// </summary>
    public int Blocked { get; init; }

    /// <summary>Users after this page ("and N more"); 0 when the total is unknown.</summary>
    public int MoreUsers => UserCount is { } total ? Math.Max(0, total - Offset - Users.Count) : 0;
}

/// <summary>
/// Asks for statistics per task name. Answered by <see cref="StatisticsView"/>.
/// <para>
/// <see cref="Instance"/> is the request of clients before the task policies' figures: it is answered in the view's old
/// encoding, which those clients read. With <paramref name="WaitingListed"/> given (0 or more) it travels under an extended
/// manifest, and its answer carries <see cref="StatisticsView.Policies"/>: the policies' counts and up to that many
/// tasks of each kind waiting for a policy.
/// </para>
/// </summary>
public sealed record GetStatistics(int? WaitingListed = null)
{
    /// <summary>The most waiting tasks of each kind one answer lists.</summary>
    public const int MaxWaitingListed = 100;

    public static GetStatistics Instance { get; } = new();

    /// <summary>Whether the policies' figures were asked for (so the request and its answer use the extended encodings).</summary>
    public bool IsExtended => WaitingListed is not null;
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
public sealed record StatisticsView(IReadOnlyList<TaskNameStatistics> TaskNames)
{
    /// <summary>The task policies' figures; null in an answer to <see cref="GetStatistics.Instance"/> (the old encoding).</summary>
    public PolicyStatistics? Policies { get; init; }
}

/// <summary>What a task waiting for a policy (in no user queue, so no dispatch sees it) waits for.</summary>
public enum PolicyWait
{
    /// <summary>Its not-before time (a delay).</summary>
    Delayed,

    /// <summary>Its retry's back-off after a failed attempt.</summary>
    Retrying,

    /// <summary>Its parents (<c>after</c>) to succeed.</summary>
    Dependencies,

    /// <summary>A slot of its concurrency key.</summary>
    ConcurrencyKey,
}

/// <summary>
/// One task waiting for a policy: what for, its pending reason (the text its status gives) and, when it waits for a time
/// (<see cref="PolicyWait.Delayed"/>, <see cref="PolicyWait.Retrying"/>), when that is.
/// </summary>
public sealed record PolicyWaitingTask(
    string TaskId,
    string TaskName,
    string UserId,
    PolicyWait Kind,
    string PendingReason,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DueAt);

/// <summary>
/// The task policies at one moment (docs/task-policies.md, "Metrics"): how many tasks wait for each kind of policy, the
/// counters since the scheduler started or recovered (<paramref name="Retries"/> failed attempts sent to retry,
/// <paramref name="Timeouts"/> attempts failed by their task's timeout, <paramref name="QuotaWaits"/> waits for a user's
/// quota), and <paramref name="Waiting"/>: up to the asked number of tasks of each kind, soonest due (delayed, retrying) or
/// oldest (dependencies, concurrency key) first.
/// </summary>
public sealed record PolicyStatistics(
    int Delayed,
    int Retrying,
    int WaitingForDependencies,
    int WaitingForKey,
    long Retries,
    long Timeouts,
    long QuotaWaits,
    IReadOnlyList<PolicyWaitingTask> Waiting);

/// <summary>Asks for the recent throughput history. Answered by <see cref="HistoryView"/>.</summary>
public sealed record GetHistory
{
    public static GetHistory Instance { get; } = new();
}

/// <summary>One interval: tasks submitted, started and finished during it, and queue depth and running count at its end.</summary>
public sealed record HistorySample(DateTimeOffset Start, int Submitted, int Started, int Finished, int Queued, int Running);

/// <summary>Samples oldest first, one per <paramref name="Interval"/>, covering at most the configured history length.</summary>
public sealed record HistoryView(TimeSpan Interval, IReadOnlyList<HistorySample> Samples);
