using Lighthouse.Protocol;

namespace Lighthouse.Client;

/// <summary>What a cancel did.</summary>
public enum CancelOutcome
{
    /// <summary>The task was queued and is now cancelled.</summary>
    Cancelled,

    /// <summary>The task is running: its worker was told to stop it, and it ends cancelled when the worker acknowledges or the task ends.</summary>
    Pending,

    /// <summary>The task had already finished; nothing changed.</summary>
    AlreadyFinished,
}

/// <summary>The scheduler's answer to a cancel: <paramref name="Node"/> for <see cref="CancelOutcome.Pending"/>, <paramref name="FinishedState"/> for <see cref="CancelOutcome.AlreadyFinished"/>.</summary>
public sealed record CancelResult(string TaskId, CancelOutcome Outcome, string? Node = null, TaskState? FinishedState = null);
