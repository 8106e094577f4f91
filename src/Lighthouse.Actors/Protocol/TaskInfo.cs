namespace Lighthouse.Protocol;

/// <summary>
/// A task's status at one moment, as the scheduler answers it. Named <c>TaskInfo</c> rather than
/// TaskStatus so that it never collides with <see cref="System.Threading.Tasks.TaskStatus"/>, which
/// every project imports implicitly.
/// </summary>
/// <param name="Progress">0–100 as last reported by the worker; 0 until then.</param>
/// <param name="Result">The worker's JSON result once <see cref="TaskState.Succeeded"/>.</param>
/// <param name="Error">Why the task failed or how it was cancelled.</param>
/// <param name="Node">The worker node it runs or last ran on.</param>
/// <param name="Attempts">How many times it has been started (a lost worker node costs one attempt).</param>
/// <param name="PendingReason">While queued: what keeps it waiting, e.g. <c>0/3 nodes fit: 2 lack "gpu", 1 have a priority range that excludes 7</c>.</param>
/// <param name="CancelRequested">A cancel was sent to its worker and is not yet acknowledged.</param>
/// <param name="WaitsForCapacity">
/// While queued and refused by the placement engine against the current nodes: true when a node could take it once
/// running tasks release resources, false when none of the current nodes can ever take it (a missing resource or
/// task name, a priority range, a ward), so it waits for the nodes to change. Null otherwise: not queued, not yet
/// offered to the engine, or the nodes changed since its last refusal.
/// </param>
/// <param name="Retry">The task's retry policy, if any (docs/task-policies.md).</param>
/// <param name="Timeout">How long one attempt may run, if bounded.</param>
/// <param name="NotBefore">The submission's delay: the task started no sooner than this.</param>
/// <param name="NextAttemptAt">While it waits to be retried: when it queues again.</param>
/// <param name="AttemptErrors">The errors of the attempts that were retried, oldest first (the last few); null when none was.</param>
/// <param name="After">The tasks it waits for (all must succeed before it starts), as submitted.</param>
/// <param name="ConcurrencyKey">The concurrency key it runs under, if any.</param>
/// <param name="Dependents">While it has not finished: the tasks waiting for it (their <paramref name="After"/> names it).</param>
/// <param name="Retries">How many times it was retried after a failure (lost workers are counted in <paramref name="Attempts"/> only).</param>
public sealed record TaskInfo(
    string TaskId,
    string TaskName,
    string UserId,
    int Priority,
    TaskState State,
    double Progress,
    string? Result,
    string? Error,
    string? Node,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? PendingReason,
    bool CancelRequested,
    string? SubmissionId,
    bool? WaitsForCapacity = null,
    RetryPolicy? Retry = null,
    TimeSpan? Timeout = null,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? NextAttemptAt = null,
    IReadOnlyList<string>? AttemptErrors = null,
    int Retries = 0,
    IReadOnlyList<string>? After = null,
    string? ConcurrencyKey = null,
    IReadOnlyList<string>? Dependents = null)
{
    /// <summary>True when it has fields of the second round of policies (encoded in tagged fields).</summary>
    public bool HasCoordination => After is { Count: > 0 } || ConcurrencyKey is not null || Dependents is { Count: > 0 };
}
