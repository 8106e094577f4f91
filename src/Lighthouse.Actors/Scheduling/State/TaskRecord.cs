using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The scheduler's mutable record of one task. Only <see cref="SchedulerState.Apply"/> changes it, and
/// fields that order it in a sorted set change only while it is out of that set.
/// </summary>
internal sealed class TaskRecord(
    string id,
    long sequence,
    PlacementShape shape,
    string userId,
    string payload,
    IReadOnlySet<string>? aversionGroups,
    int maxAttempts,
    string? submissionId,
    DateTimeOffset submittedAt)
{
    public string Id { get; } = id;

    /// <summary>Submission order over all users; the measure of how long a task has waited.</summary>
    public long Sequence { get; } = sequence;

    public PlacementShape Shape { get; } = shape;
    public string TaskName => Shape.TaskName;
    public int Priority => Shape.Priority;
    public string UserId { get; } = userId;
    public string Payload { get; } = payload;
    public IReadOnlySet<string>? AversionGroups { get; } = aversionGroups;
    public int MaxAttempts { get; } = maxAttempts;
    public string? SubmissionId { get; } = submissionId;
    public DateTimeOffset SubmittedAt { get; } = submittedAt;

    // Policies (docs/task-policies.md), kept in an object of their own that a task without any never allocates: a queued
    // task costs the same memory as before policies existed (the dispatch benchmark's bytes per queued task).
    private TaskPolicyState? _policy;
    private TaskPolicyState Policy => _policy ??= new TaskPolicyState();

    public RetryPolicy? Retry
    {
        get => _policy?.Retry;
        init { if (value is not null) Policy.Retry = value; }
    }

    public TimeSpan? Timeout
    {
        get => _policy?.Timeout;
        init { if (value is not null) Policy.Timeout = value; }
    }

    /// <summary>The submission's not-before time (its delay), as given.</summary>
    public DateTimeOffset? NotBefore
    {
        get => _policy?.NotBefore;
        init { if (value is not null) Policy.NotBefore = value; }
    }

    /// <summary>The tasks it waits for (<c>after</c>), as submitted; null when none.</summary>
    public IReadOnlyList<string>? After
    {
        get => _policy?.After;
        init { if (value is not null) Policy.After = value; }
    }

    /// <summary>Its concurrency key; null when none.</summary>
    public string? ConcurrencyKey
    {
        get => _policy?.ConcurrencyKey;
        init { if (value is not null) Policy.ConcurrencyKey = value; }
    }

    /// <summary>While it waits in <see cref="TaskDependencies"/>: how many of its parents have not ended yet.</summary>
    public int PendingParents
    {
        get => _policy?.PendingParents ?? 0;
        set { if (value != 0 || _policy is not null) Policy.PendingParents = value; }
    }

    /// <summary>
    /// Set when one of its parents failed or was cancelled while it waited ("dependency task-12 failed"): it is about to end
    /// cancelled with this (<see cref="SchedulerState.DecideFollowUps"/>) and is never released.
    /// </summary>
    public string? DependencyProblem
    {
        get => _policy?.DependencyProblem;
        set { if (value is not null || _policy is not null) Policy.DependencyProblem = value; }
    }

    /// <summary>Waits for its parents (in <see cref="TaskDependencies"/>, in no user queue).</summary>
    public bool WaitsForParents => _policy is { } p && (p.PendingParents > 0 || p.DependencyProblem is not null);

    /// <summary>
    /// Queued but kept out of its user's queue: waiting for its time, its parents or its concurrency key. Dispatch never sees
    /// it, and neither adoption nor a placement may start it.
    /// </summary>
    public bool IsParked => _policy is { } p && (p.DueAt is not null || p.PendingParents > 0 || p.DependencyProblem is not null || p.KeyWait is not null);

    /// <summary>
    /// Holds one of its concurrency key's slots (<see cref="ConcurrencyKeys"/>): from when it joined its user's queue with the
    /// key's leave until it stops running (it ends, or waits to retry). A task re-queued from a lost node keeps its slot.
    /// </summary>
    public bool HoldsKeySlot
    {
        get => _policy?.HoldsKeySlot ?? false;
        set { if (value || _policy is not null) Policy.HoldsKeySlot = value; }
    }

    /// <summary>While it waits for a slot of its concurrency key: its place in the key's first-in-first-out list. Null otherwise.</summary>
    public LinkedListNode<TaskRecord>? KeyWait
    {
        get => _policy?.KeyWait;
        set { if (value is not null || _policy is not null) Policy.KeyWait = value; }
    }

    /// <summary>Waits for a slot of its concurrency key (in no user queue).</summary>
    public bool WaitsForKey => _policy?.KeyWait is not null;

    /// <summary>While it waits in <see cref="TaskAlarms"/> (a delay or a retry back-off): when it is due. Null otherwise.</summary>
    public DateTimeOffset? DueAt
    {
        get => _policy?.DueAt;
        set { if (value is not null || _policy is not null) Policy.DueAt = value; }
    }

    /// <summary>While it runs with a timeout: when the scheduler ends it if its worker has not (timeout plus grace). Null otherwise.</summary>
    public DateTimeOffset? Deadline
    {
        get => _policy?.Deadline;
        set { if (value is not null || _policy is not null) Policy.Deadline = value; }
    }

    /// <summary>How many times it was retried after a failure.</summary>
    public int Retries
    {
        get => _policy?.Retries ?? 0;
        set { if (value != 0 || _policy is not null) Policy.Retries = value; }
    }

    /// <summary>The errors of the retried attempts, the last <see cref="KeptAttemptErrors"/> of them, oldest first.</summary>
    public List<string>? AttemptErrors
    {
        get => _policy?.AttemptErrors;
        set { if (value is not null || _policy is not null) Policy.AttemptErrors = value; }
    }

    public const int KeptAttemptErrors = 10;

    public TaskState State { get; set; } = TaskState.Queued;
    public double Progress { get; set; }
    public string? Result { get; set; }
    public string? Error { get; set; }
    public string? Node { get; set; }

    /// <summary>How many times the task was started.</summary>
    public int Attempts { get; set; }

    /// <summary>It came back from a lost node, so it queues ahead of its user's tasks of the same priority.</summary>
    public bool Requeued { get; set; }

    public bool CancelRequested { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? CollectedAt { get; set; }

    /// <summary>When a finished task is forgotten (set while finished).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    // Links in the one list that holds the task: its ShapeQueue while queued, the retention list (RetainedTasks) once
    // finished, none while running. An intrusive list costs no allocation and removes in O(1).
    public TaskRecord? LinkPrevious { get; set; }
    public TaskRecord? LinkNext { get; set; }

    public TaskInfo ToInfo(string? pendingReason, bool? waitsForCapacity) => new(
        Id, TaskName, UserId, Priority, State, Progress, Result, Error, Node, Attempts, MaxAttempts,
        SubmittedAt, StartedAt, FinishedAt, pendingReason, CancelRequested, SubmissionId, waitsForCapacity,
        Retry, Timeout, NotBefore, Retries > 0 ? DueAt : null, AttemptErrors?.ToList(), Retries, After, ConcurrencyKey);

    /// <summary>Remembers a retried attempt's error, keeping the last few.</summary>
    public void AddAttemptError(string error)
    {
        var errors = Policy.AttemptErrors ??= [];
        if (errors.Count == KeptAttemptErrors) errors.RemoveAt(0);
        errors.Add(error);
    }
}

/// <summary>The policy fields of a <see cref="TaskRecord"/> that has any.</summary>
internal sealed class TaskPolicyState
{
    public RetryPolicy? Retry { get; set; }
    public TimeSpan? Timeout { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? Deadline { get; set; }
    public int Retries { get; set; }
    public List<string>? AttemptErrors { get; set; }
    public IReadOnlyList<string>? After { get; set; }
    public string? ConcurrencyKey { get; set; }
    public int PendingParents { get; set; }
    public string? DependencyProblem { get; set; }
    public bool HoldsKeySlot { get; set; }
    public LinkedListNode<TaskRecord>? KeyWait { get; set; }
}
