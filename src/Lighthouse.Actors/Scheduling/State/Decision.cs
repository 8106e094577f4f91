namespace Lighthouse.Scheduling;

/// <summary>What a decision came to: the events to apply, in order, and the answer for whoever asked (if anyone).</summary>
internal sealed record Decision(IReadOnlyList<SchedulerEvent> Events, object? Reply = null)
{
    public static Decision Answer(object reply) => new([], reply);
}

/// <summary>
/// What to do with a placement answer: the events to apply, and whether the reservation the engine
/// made must be given back (the task was cancelled, or its node went away, while it was being placed).
/// </summary>
internal sealed record PlacementDecision(IReadOnlyList<SchedulerEvent> Events, bool Release);

/// <summary>What the scheduler's alarms came to: the events to apply, and the running tasks to cancel on their nodes (timed out).</summary>
internal sealed record AlarmDecision(IReadOnlyList<SchedulerEvent> Events, IReadOnlyList<(string TaskId, string Node)> Cancels);
