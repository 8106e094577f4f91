using Lighthouse.Placement;

namespace Lighthouse.Scheduling;

// What the scheduler's state and the placement engine say to each other (through TaskPlacer): questions,
// answers, reservations and their release. Immutable, so they may travel between the scheduler and its strategy.

/// <summary>Where does this queued task go? Carries the epochs it is asked at, so that a late "no" is known to be stale.</summary>
internal sealed record PlaceTask(string TaskId, int Priority, Workload Workload, long CapacityEpoch, long TopologyEpoch);

/// <summary>The answer: the node that took the task (its requirements are now reserved there), or why none did.</summary>
internal sealed record PlacementOutcome(string TaskId, string? Node, string? Reason, bool WaitsForCapacity, long CapacityEpoch, long TopologyEpoch);

/// <summary>The state declined a reservation the engine made (the task was cancelled or its node left meanwhile): give it back.</summary>
internal sealed record ReleaseTask(string TaskId);

/// <summary>
/// A task already runs on <paramref name="Node"/> (re-attached after a recovery, or adopted from a node's
/// report): reserve its requirements there without choosing. <paramref name="Priority"/> names its lane on a node with lanes.
/// </summary>
internal sealed record PinTask(string TaskId, string Node, Workload Workload, int Priority);

/// <summary>
/// What a new engine needs of a recovered state: the nodes in registration order, the running tasks' reservations,
/// and the nodes already unreachable. Taken with <see cref="TaskPlacer.RebuildOf"/>, applied with <see cref="TaskPlacer.Rebuild"/>.
/// </summary>
internal sealed record PlacerRebuild(IReadOnlyList<NodeRegistered> Nodes, IReadOnlyList<PinTask> Pins, IReadOnlyList<string> Unreachable);
