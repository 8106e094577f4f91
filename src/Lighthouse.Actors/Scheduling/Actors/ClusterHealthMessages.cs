using Akka.Actor;

namespace Lighthouse.Scheduling;

// What the ClusterHealthWatcher tells the SchedulerActor it runs under (same process only), which passes member
// changes on to its NodeStateActors. Members are named by address: each node actor knows where its agent lives.

/// <summary>The failure detector lost the member at <paramref name="Address"/>: its worker nodes get no new tasks.</summary>
internal sealed record ClusterMemberUnreachable(Address Address);

/// <summary>The member at <paramref name="Address"/> is reachable again: its worker nodes get tasks again.</summary>
internal sealed record ClusterMemberReachable(Address Address);

/// <summary>The member at <paramref name="Address"/> left or was downed: its worker nodes are lost and their tasks re-queued.</summary>
internal sealed record ClusterMemberRemoved(Address Address);

/// <summary>
/// The scheduler → its watcher: a worker node registered. It ends a "no workers" episode even when the node is gone
/// again before the next check counts it (a worker may register, run the waiting tasks and leave within a second).
/// </summary>
internal sealed record WorkerNodeAppeared
{
    public static WorkerNodeAppeared Instance { get; } = new();
}

/// <summary>Timer tick: ask the scheduler whether tasks wait with no worker node.</summary>
internal sealed record CheckForWorkers
{
    public static CheckForWorkers Instance { get; } = new();
}
