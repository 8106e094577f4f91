using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// The scheduler's state as plain data: what a snapshot stores. It holds what the events built and
// nothing derived: indexes, counts and orders that the restore rebuilds from it come out the same,
// and dispatch memos (TaskUnplaced) are left out, as the journal leaves them out.

/// <summary>Everything <see cref="SchedulerState"/> knows, captured at one point of its event sequence.</summary>
internal sealed record SchedulerImage(
    long LastSequence,
    int NextShapeId,
    long CapacityEpoch,
    long TopologyEpoch,
    IReadOnlyList<ShapeImage> Shapes,
    IReadOnlyList<NodeImage> Nodes,
    IReadOnlyList<TaskImage> Tasks,
    IReadOnlyList<UserImage> Users,
    long Stamps,
    IReadOnlyList<StatisticsTally> Statistics,
    TimeSpan HistoryInterval,
    IReadOnlyList<HistoryBucket> History,
    IReadOnlyList<TaskPolicyImage>? Policies = null,
    IReadOnlyList<UserPolicyImage>? UserPolicies = null,
    IReadOnlyList<KeyLimitImage>? KeyLimits = null,
    IReadOnlyList<string>? KeyWaiters = null);

/// <summary>A user's runtime policy values (<see cref="UserPolicyChanged"/>), null where none is set; kept apart so a snapshot without any is stored as before.</summary>
internal sealed record UserPolicyImage(string UserId, decimal? Weight, int? MaxRunning);

/// <summary>A concurrency key's runtime limit, set by an admin (configured limits come from the configuration, not the snapshot).</summary>
internal sealed record KeyLimitImage(string Key, int Limit);

/// <summary>
/// The policies of one task that has any (docs/task-policies.md), kept apart from <see cref="TaskImage"/> so that a snapshot
/// of tasks without policies is stored exactly as before they existed. <paramref name="DueAt"/>: while it waits for its time.
/// Whether it waits for its parents is not stored: the restore finds it from the parents' states. Whether a queued task with a
/// key holds a slot or waits for one is: <see cref="SchedulerImage.KeyWaiters"/> lists the waiting ones, in their keys' order.
/// </summary>
internal sealed record TaskPolicyImage(
    string Id,
    RetryPolicy? Retry,
    TimeSpan? Timeout,
    DateTimeOffset? NotBefore,
    DateTimeOffset? DueAt,
    int Retries,
    IReadOnlyList<string>? AttemptErrors,
    IReadOnlyList<string>? After = null,
    string? ConcurrencyKey = null);

/// <summary>A placement shape some task refers to; <paramref name="Registered"/> when it is the live shape of its key.</summary>
internal sealed record ShapeImage(
    int Id,
    string TaskName,
    int Priority,
    IReadOnlyDictionary<string, double> Requirements,
    IReadOnlySet<string> Immunities,
    bool Registered);

/// <summary>A registered worker node: its registration and whether it is reachable.</summary>
internal sealed record NodeImage(NodeRegistered Registration, bool Reachable);

/// <summary>One task, in any state, with everything its record holds.</summary>
internal sealed record TaskImage(
    string Id,
    long Sequence,
    int ShapeId,
    string UserId,
    string Payload,
    IReadOnlySet<string>? AversionGroups,
    int MaxAttempts,
    string? SubmissionId,
    DateTimeOffset SubmittedAt,
    TaskState State,
    double Progress,
    string? Result,
    string? Error,
    string? Node,
    int Attempts,
    bool Requeued,
    bool CancelRequested,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? CollectedAt,
    DateTimeOffset ExpiresAt);

/// <summary>A user with queued or running tasks, and the stamp of when its head task became its head.</summary>
internal sealed record UserImage(string UserId, long WaitingSince);
