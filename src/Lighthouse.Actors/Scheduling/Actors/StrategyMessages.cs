namespace Lighthouse.Scheduling;

// The conversation between the SchedulerActor and its StrategyActor child. Both live in the same
// process (the strategy is re-created with the scheduler), so these never cross the wire. Besides these,
// the strategy takes what TaskPlacer.ChangeFor says the engine must hear: applied events, pins and releases.

/// <summary>
/// Several tasks to place in one go, in this order: each sees the reservations of those before it. Answered by
/// <see cref="PlacementOutcomes"/> in the same order. One request per dispatch round keeps the scheduler from
/// waiting for the strategy's answer behind its whole mailbox once per task.
/// </summary>
internal sealed record PlaceTasks(IReadOnlyList<PlaceTask> Requests);

/// <summary>The answers to a <see cref="PlaceTasks"/>, in its order.</summary>
internal sealed record PlacementOutcomes(IReadOnlyList<PlacementOutcome> Outcomes);

/// <summary>A <see cref="PinTask"/> the engine could not honour, and why.</summary>
internal sealed record PinRefused(string TaskId, string Node, string Reason);
