namespace Lighthouse.Worker.Agent;

// What the worker agent tells itself: ends and progress of handler runs (from their threads) and its timers.
// Each carries the run number, so a message about an abandoned run never touches a newer run of the same task.

/// <summary>A handler run ended.</summary>
internal sealed record TaskEnded(string TaskId, long Run, TaskOutcome Outcome);

/// <summary>A handler reported progress (already clamped to 0–100 and changed in its whole percent).</summary>
internal sealed record HandlerProgressed(string TaskId, long Run, double Percent);

/// <summary>The progress interval of a task has passed: send its waiting progress value.</summary>
internal sealed record FlushProgress(string TaskId, long Run);

/// <summary>A cancelled handler had its grace period to stop; if it still runs, acknowledge the cancel anyway.</summary>
internal sealed record CancelGraceOver(string TaskId, long Run);

/// <summary>Time to register again: the scheduler has not answered yet.</summary>
internal sealed record RetryRegistration
{
    public static RetryRegistration Instance { get; } = new();
}
