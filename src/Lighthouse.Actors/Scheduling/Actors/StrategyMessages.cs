using Lighthouse.Placement;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// The conversation between the SchedulerActor and its StrategyActor child. Both live in the same
// process (the strategy is re-created with the scheduler), so these never cross the wire.

/// <summary>Where does this queued task go? Carries the epochs it is asked at, so that a late "no" is known to be stale.</summary>
internal sealed record PlaceTask(string TaskId, int Priority, Workload Workload, long CapacityEpoch, long TopologyEpoch);

/// <summary>
/// Several tasks to place in one go, in this order: each sees the reservations of those before it. Answered by
/// <see cref="PlacementOutcomes"/> in the same order. One request per dispatch round instead of one per task keeps
/// the scheduler from waiting for the strategy's answer behind its whole mailbox once per task.
/// </summary>
internal sealed record PlaceTasks(IReadOnlyList<PlaceTask> Requests);

/// <summary>The answers to a <see cref="PlaceTasks"/>, in its order.</summary>
internal sealed record PlacementOutcomes(IReadOnlyList<PlacementOutcome> Outcomes);

/// <summary>The answer: the node that took the task (its requirements are now reserved there), or why none did.</summary>
internal sealed record PlacementOutcome(string TaskId, string? Node, string? Reason, bool WaitsForCapacity, long CapacityEpoch, long TopologyEpoch);

/// <summary>A task ended or left its node: give back what it took.</summary>
internal sealed record ReleaseTask(string TaskId);

/// <summary>A node registered.</summary>
internal sealed record AddWorkerNode(NodeRegistered Registration);

/// <summary>A node is gone (what was placed on it goes with it).</summary>
internal sealed record RemoveWorkerNode(string Node);

/// <summary>A node became unreachable (nothing is placed on it) or reachable again.</summary>
internal sealed record SetNodeReachable(string Node, bool Reachable);

/// <summary>
/// A task already runs on <paramref name="Node"/> (re-attached after a recovery, or adopted from a node's
/// report): reserve its requirements there without choosing. Answered only when that fails.
/// </summary>
internal sealed record PinTask(string TaskId, string Node, Workload Workload);

/// <summary>A <see cref="PinTask"/> the engine could not honour, and why.</summary>
internal sealed record PinRefused(string TaskId, string Node, string Reason);
