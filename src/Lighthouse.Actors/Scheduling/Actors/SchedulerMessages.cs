namespace Lighthouse.Scheduling;

// What the SchedulerActor tells itself (timer ticks); same process only.

/// <summary>Timer tick: forget finished tasks whose retention is over.</summary>
internal sealed record SweepRetention
{
    public static SweepRetention Instance { get; } = new();
}

/// <summary>Timer tick: the earliest task alarm (a due time or a timeout deadline) may have come (see <see cref="TaskAlarms"/>).</summary>
internal sealed record AlarmsDue
{
    public static AlarmsDue Instance { get; } = new();
}

/// <summary>Timer tick: the grace period after a recovery is over; nodes that have not registered again are lost.</summary>
internal sealed record RecoveryGraceOver
{
    public static RecoveryGraceOver Instance { get; } = new();
}

/// <summary>
/// The singleton manager's termination message: this host hands the scheduler over (it leaves the cluster). A snapshot
/// first when the journal's tail is long, then stop (<c>SchedulerActor.HandOver</c>); the supervisor stops with it.
/// </summary>
internal sealed record HandOverScheduler
{
    public static HandOverScheduler Instance { get; } = new();
}

/// <summary>Timer tick: the hand-over's snapshot took too long; stop anyway.</summary>
internal sealed record HandOverDeadline
{
    public static HandOverDeadline Instance { get; } = new();
}

// Reachability told to the scheduler directly, in-process only: tests and embedding code that stand in for cluster
// membership. Internal, so no peer can send them: over the network only membership itself moves a node (issue 11).

/// <summary>The node cannot be reached for now: it gets no new tasks; its running tasks stay where they are.</summary>
internal sealed record WorkerUnreachable(string Node);

/// <summary>The node can be reached again and gets tasks again.</summary>
internal sealed record WorkerReachable(string Node);

/// <summary>The node is gone: its running tasks go back to the head of their queues (or fail after their max attempts).</summary>
internal sealed record WorkerLost(string Node);

/// <summary>Timer tick while the pause fence is closed: ask the scheduler members that have not answered yet again (see <see cref="PauseFence"/>).</summary>
internal sealed record FenceProbeDue
{
    public static FenceProbeDue Instance { get; } = new();
}
