using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// The conversation between the SchedulerActor and its NodeStateActor children (same process only).

/// <summary>A worker's report, passed up by its node's actor with the node it came from; any answer goes back through that actor.</summary>
internal sealed record NodeReport(string Node, IWorkerReport Report);

/// <summary>The node's agent terminated: the node is lost, unless a newer agent has registered the name since.</summary>
internal sealed record AgentTerminated(string Node, IActorRef Agent);

/// <summary>The same agent registered again: tell it once more that it is registered.</summary>
internal sealed record AnnounceRegistration
{
    public static AnnounceRegistration Instance { get; } = new();
}

/// <summary>Timer tick: forget finished tasks whose retention is over.</summary>
internal sealed record SweepRetention
{
    public static SweepRetention Instance { get; } = new();
}

/// <summary>Timer tick: the grace period after a recovery is over; nodes that have not registered again are lost.</summary>
internal sealed record RecoveryGraceOver
{
    public static RecoveryGraceOver Instance { get; } = new();
}
