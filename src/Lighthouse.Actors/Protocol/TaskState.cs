namespace Lighthouse.Protocol;

/// <summary>Where a task is in its life. A task is in exactly one state at a time.</summary>
public enum TaskState
{
    /// <summary>Accepted and waiting in its user's queue.</summary>
    Queued,
    /// <summary>Started on a worker node and not yet finished.</summary>
    Running,
    /// <summary>The worker reported a result.</summary>
    Succeeded,
    /// <summary>The worker reported an error, returned an invalid result, or its workers were lost too often.</summary>
    Failed,
    /// <summary>Cancelled on request (while queued, or acknowledged by its worker).</summary>
    Cancelled,
}

/// <summary>Helpers over <see cref="TaskState"/>.</summary>
public static class TaskStates
{
    /// <summary>True for the three final states: the task will never change again.</summary>
    public static bool IsFinished(this TaskState state) => state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;
}
