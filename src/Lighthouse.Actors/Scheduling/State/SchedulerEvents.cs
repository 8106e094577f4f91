using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Every change of the scheduler's state is one of these events, applied in one place
// (SchedulerState.Apply). Each carries everything its replay needs, including the time it
// happened, so that a journal can persist them and a restarted scheduler can rebuild its state
// by applying them again in order. They hold only immutable, serializable data.

/// <summary>A change of the scheduler's state, stamped with the time it happened.</summary>
public abstract record SchedulerEvent(DateTimeOffset At);

/// <summary>
/// A submission was accepted and its task queued at the tail of its user's queue, or, with <paramref name="NotBefore"/>
/// after <paramref name="At"/>, set to wait until then (<see cref="TaskDue"/> queues it). <paramref name="Retry"/> and
/// <paramref name="Timeout"/> are its policies (docs/task-policies.md). With <paramref name="After"/> naming a task that has not
/// succeeded yet, it waits for its parents (released when the last one succeeds, as part of applying that one's
/// <see cref="TaskFinished"/>); with <paramref name="ConcurrencyKey"/>, it joins its queue only with a free slot of its key.
/// </summary>
public sealed record TaskSubmitted(
    string TaskId,
    long Sequence,
    string TaskName,
    string UserId,
    int Priority,
    string Payload,
    IReadOnlyDictionary<string, double> Requirements,
    IReadOnlySet<string> Immunities,
    IReadOnlySet<string>? AversionGroups,
    int MaxAttempts,
    string? SubmissionId,
    DateTimeOffset At,
    RetryPolicy? Retry = null,
    TimeSpan? Timeout = null,
    DateTimeOffset? NotBefore = null,
    IReadOnlyList<string>? After = null,
    string? ConcurrencyKey = null) : SchedulerEvent(At)
{
    public bool HasPolicies => Retry is not null || Timeout is not null || NotBefore is not null;

    /// <summary>Dependencies or a concurrency key: stored in tagged fields (docs/task-policies.md).</summary>
    public bool HasCoordination => After is { Count: > 0 } || ConcurrencyKey is not null;
}

/// <summary>A queued task was placed on <paramref name="Node"/> and sent to it; <paramref name="Attempt"/> counts from 1.</summary>
public sealed record TaskStarted(string TaskId, string Node, int Attempt, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>
/// The placement engine found no node for a queued task. A dispatch memo: every queued task of the same
/// placement shape is skipped until capacity grows (or, when <paramref name="WaitsForCapacity"/> is false,
/// until a node is added or becomes reachable). Dropping or replaying it gives the same decisions: it
/// only saves asking the engine a question whose answer is known.
/// </summary>
public sealed record TaskUnplaced(string TaskId, string Reason, bool WaitsForCapacity, long CapacityEpoch, long TopologyEpoch, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A running task's worker reported progress (0–100).</summary>
public sealed record TaskProgressed(string TaskId, double Percent, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A running task was asked to cancel; its worker was told.</summary>
public sealed record TaskCancelRequested(string TaskId, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A queued or running task reached a final state (Succeeded, Failed or Cancelled).</summary>
public sealed record TaskFinished(string TaskId, TaskState State, string? Result, string? Error, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>
/// A worker node that registered (again) reported a task as running that the scheduler had queued (it was
/// re-queued while the node was away): the task runs there from now on, without being started again.
/// Applied like <see cref="TaskStarted"/>; <paramref name="Attempt"/> counts it as one more attempt.
/// </summary>
public sealed record TaskAdopted(string TaskId, string Node, int Attempt, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A running task's node was lost; the task went back to the head of its user's queue.</summary>
public sealed record TaskRequeued(string TaskId, string Node, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>
/// A running task failed (its handler reported a failure, or it timed out) and its retry policy has retries left: it leaves
/// its node and waits until <paramref name="RetryAt"/>, when <see cref="TaskDue"/> queues it again. <paramref name="Error"/>
/// is the failed attempt's.
/// </summary>
public sealed record TaskRetrying(string TaskId, string Error, DateTimeOffset RetryAt, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A waiting task's time came (its delay, or its retry back-off): it joins the tail of its user's queue.</summary>
public sealed record TaskDue(string TaskId, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A client read a finished task for the first time; its retention now ends a fixed time after this.</summary>
public sealed record TaskCollected(string TaskId, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A finished task's retention ran out; the scheduler forgets it.</summary>
public sealed record TaskForgotten(string TaskId, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>
/// An admin changed a user's policy (docs/task-policies.md, "Per user"): <paramref name="Weight"/> and <paramref name="MaxRunning"/>
/// are the user's runtime values after the change, null where none is set (the configured value applies); a
/// <paramref name="MaxRunning"/> of <see cref="SetUserPolicy.NoQuota"/> is "no quota".
/// </summary>
public sealed record UserPolicyChanged(string UserId, decimal? Weight, int? MaxRunning, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A worker node registered (reachable). <paramref name="Lanes"/>: its slot groups by priority, or null for none (see <see cref="WorkerLane"/>).</summary>
public sealed record NodeRegistered(
    string Node,
    IReadOnlyDictionary<string, double> Resources,
    IReadOnlyList<string> TaskNames,
    PriorityRange Priorities,
    int Slots,
    DateTimeOffset At,
    IReadOnlyList<WorkerLane>? Lanes = null) : SchedulerEvent(At);

/// <summary>A registered node became unreachable (no new tasks) or reachable again.</summary>
public sealed record NodeReachabilityChanged(string Node, bool Reachable, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>A node is gone. Its running tasks were requeued or finished by earlier events.</summary>
public sealed record NodeRemoved(string Node, DateTimeOffset At) : SchedulerEvent(At);

/// <summary>
/// An admin set the runtime limit of a concurrency key (<paramref name="Limit"/>, 0 or more) or removed it (null: the configured
/// limit applies again). Waiting tasks the key now has room for join their queues; when lowered, queued tasks over the limit
/// go back to the head of the key's waiting list, and running ones keep running.
/// </summary>
public sealed record ConcurrencyLimitChanged(string Key, int? Limit, DateTimeOffset At) : SchedulerEvent(At);
