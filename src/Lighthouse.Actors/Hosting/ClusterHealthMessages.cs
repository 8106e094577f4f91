using Akka.Actor;

namespace Lighthouse.Hosting;

// What the ClusterHealthWatcher tells the SchedulerActor it runs under (same process only). Members are
// named by address: the scheduler knows which worker nodes' agents live at an address, the watcher does not.

/// <summary>The failure detector lost the member at <paramref name="Address"/>: its worker nodes get no new tasks.</summary>
internal sealed record ClusterMemberUnreachable(Address Address);

/// <summary>The member at <paramref name="Address"/> is reachable again: its worker nodes get tasks again.</summary>
internal sealed record ClusterMemberReachable(Address Address);

/// <summary>The member at <paramref name="Address"/> left or was downed: its worker nodes are lost and their tasks re-queued.</summary>
internal sealed record ClusterMemberRemoved(Address Address);

/// <summary>Timer tick: ask the scheduler whether tasks wait with no worker node.</summary>
internal sealed record CheckForWorkers
{
    public static CheckForWorkers Instance { get; } = new();
}
