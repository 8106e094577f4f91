namespace Lighthouse.Scheduling;

// What the SchedulerActor tells itself (timer ticks); same process only.

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
