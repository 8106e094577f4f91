namespace Lighthouse.Protocol;

// The conversation between a client and the scheduler. Every request gets exactly one answer;
// a task id the scheduler does not know (never existed, or forgotten after retention) is answered
// with UnknownTask, never left to time out.

/// <summary>
/// Asks to run a task. Answered by <see cref="SubmissionAccepted"/> or <see cref="SubmissionRejected"/>.
/// <paramref name="Payload"/> is JSON text handed to the worker as is; <paramref name="Requirements"/> are
/// resource quantities taken from the node while the task runs (one <c>slots</c> unit is always added);
/// <paramref name="SubmissionId"/> is chosen by the client so that a repeated submission (same user and id)
/// answers the original task id instead of queueing the task twice. With <paramref name="Watch"/> the sender
/// is told the task's end without asking: a <see cref="TaskUpdated"/> with the finished status (which counts as
/// collecting it, like a status read), as for a <see cref="WatchTask"/>.
/// <para>
/// Policies (docs/task-policies.md), all optional: <paramref name="Retry"/> starts a task whose handler failed again after a
/// back-off; <paramref name="Timeout"/> bounds one attempt's running time (the handler's token fires at the deadline, and the
/// task fails "timed out"); <paramref name="Delay"/> (from the scheduler's receipt) or <paramref name="NotBefore"/> (an
/// instant; at most one of the two) keeps the task waiting until then. <paramref name="After"/> names tasks of the same user
/// that must all have succeeded before this one starts (it is cancelled when one of them fails or is cancelled);
/// <paramref name="ConcurrencyKey"/> names a limit: at most that many tasks with the key run at once across the cluster.
/// </para>
/// </summary>
public sealed record SubmitTask(
    string TaskName,
    string Payload,
    string UserId,
    int Priority = 0,
    IReadOnlyDictionary<string, double>? Requirements = null,
    IReadOnlySet<string>? Immunities = null,
    IReadOnlySet<string>? AversionGroups = null,
    int? MaxAttempts = null,
    string? SubmissionId = null,
    bool Watch = false,
    RetryPolicy? Retry = null,
    TimeSpan? Timeout = null,
    TimeSpan? Delay = null,
    DateTimeOffset? NotBefore = null,
    IReadOnlyList<string>? After = null,
    string? ConcurrencyKey = null)
{
    /// <summary>True when any policy field is set: the default path (none) is encoded and journaled exactly as before policies existed.</summary>
    public bool HasPolicies => Retry is not null || Timeout is not null || Delay is not null || NotBefore is not null;

    /// <summary>True when it depends on other tasks or names a concurrency key (policies of the second round, encoded in tagged fields).</summary>
    public bool HasCoordination => After is { Count: > 0 } || ConcurrencyKey is not null;
}

/// <summary>The task is queued under <paramref name="TaskId"/>; <paramref name="Duplicate"/> when the submission id was seen before and nothing new was queued.</summary>
public sealed record SubmissionAccepted(string TaskId, string? SubmissionId, bool Duplicate);

/// <summary>
/// The task was not accepted, and nothing already queued was changed; <paramref name="Reason"/> names the offending
/// field and value, <paramref name="Code"/> says what kind of refusal it is, so that callers need not read the English.
/// </summary>
public sealed record SubmissionRejected(string? SubmissionId, string Reason, RejectionCode Code);

/// <summary>Why a submission was refused, for callers that act on it (an HTTP status, a retry). Values are on the wire: never renumber.</summary>
public enum RejectionCode
{
    /// <summary>The submission itself is wrong (a name, a requirement, max attempts, a payload that is not JSON): resending it cannot help.</summary>
    InvalidSubmission = 0,

    /// <summary>The user already has as many queued tasks as the cap allows: the same submission may succeed later.</summary>
    QueueFull = 1,

    /// <summary>The payload is over the scheduler's size cap (<c>lighthouse.scheduler.max-payload-bytes</c>).</summary>
    PayloadTooLarge = 2,
}

/// <summary>
/// Asks for a task's status. Answered by <see cref="TaskInfo"/> or <see cref="UnknownTask"/>. With <paramref name="Collect"/>
/// (the default) reading a finished task counts as collecting it, which shortens its retention; a viewer that only
/// looks (the monitor's task page) reads with <c>Collect: false</c> so as not to cut the result's life short for its owner.
/// </summary>
public sealed record GetTaskStatus(string TaskId, bool Collect = true);

/// <summary>The scheduler has no task of that id: it never existed, or it finished and its retention ran out.</summary>
public sealed record UnknownTask(string TaskId, string Message)
{
    public UnknownTask(string taskId) : this(taskId, $"unknown task id {taskId}") { }
}

/// <summary>
/// Asks to be told of a task's changes instead of polling for them. Answered at once like
/// <see cref="GetTaskStatus"/> (<see cref="TaskInfo"/> or <see cref="UnknownTask"/>); then, until the task ends,
/// the sender gets a <see cref="TaskUpdated"/> when it finishes and, with <paramref name="Progress"/>, when its
/// progress or state changes. With <paramref name="Collect"/> the answer or push that shows it finished counts as
/// collecting it. Watches live in the scheduler's memory only: a scheduler that moves or recovers forgets them,
/// so a watcher that has heard nothing for a while sends <see cref="WatchTask"/> again (it is idempotent).
/// </summary>
public sealed record WatchTask(string TaskId, bool Progress = false, bool Collect = true);

/// <summary>Pushed to a watcher (<see cref="WatchTask"/>, or a <see cref="SubmitTask"/> with Watch): the task's status now.</summary>
public sealed record TaskUpdated(TaskInfo Task);

/// <summary>Asks to cancel a task. Answered by <see cref="TaskCancelled"/>, <see cref="CancelPending"/>, <see cref="TaskAlreadyFinished"/> or <see cref="UnknownTask"/>.</summary>
public sealed record CancelTask(string TaskId);

/// <summary>The task was queued and is now <see cref="TaskState.Cancelled"/>.</summary>
public sealed record TaskCancelled(string TaskId);

/// <summary>The task is running; a cancel was sent to <paramref name="Node"/> and the task becomes Cancelled when the worker acknowledges or the task ends.</summary>
public sealed record CancelPending(string TaskId, string Node);

/// <summary>The task had already finished in <paramref name="State"/>; nothing was changed.</summary>
public sealed record TaskAlreadyFinished(string TaskId, TaskState State);

/// <summary>Asks for every task the scheduler still knows of one user (collecting none of them). Answered by <see cref="TaskList"/>.</summary>
public sealed record ListTasks(string UserId);

/// <summary>The user's tasks in submission order (queued, running and retained finished ones).</summary>
public sealed record TaskList(string UserId, IReadOnlyList<TaskInfo> Tasks);
