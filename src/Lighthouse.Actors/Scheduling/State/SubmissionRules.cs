using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>What makes a submission or a worker registration acceptable. Each rule names the field and the value it refuses.</summary>
internal static class SubmissionRules
{
    /// <summary>
    /// Null when the submission's own content is acceptable (the queue cap is checked by the state); else the
    /// refusal of its first problem, in field order: an oversized payload is <see cref="RejectionCode.PayloadTooLarge"/>,
    /// anything else <see cref="RejectionCode.InvalidSubmission"/>.
    /// </summary>
    public static SubmissionRejected? Rejection(SubmitTask submission, SchedulerSettings settings, DateTimeOffset now)
    {
        if (Problem(submission, settings) is { } problem) return Invalid(submission, problem);
        if (submission.HasPolicies && PolicyProblem(submission, settings, now) is { } policy) return Invalid(submission, policy);
        if (JsonText.SizeProblem(submission.Payload, "payload", settings.MaxPayloadBytes) is { } tooLarge)
            return new SubmissionRejected(submission.SubmissionId, tooLarge, RejectionCode.PayloadTooLarge);
        return JsonText.Problem(submission.Payload, "payload", settings.MaxPayloadBytes) is { } payload ? Invalid(submission, payload) : null;
    }

    private static SubmissionRejected Invalid(SubmitTask submission, string problem) =>
        new(submission.SubmissionId, problem, RejectionCode.InvalidSubmission);

    /// <summary>Null when every field but the payload is acceptable.</summary>
    private static string? Problem(SubmitTask submission, SchedulerSettings settings)
    {
        var length = settings.MaxNameLength;
        if (NameRules.Problem(submission.UserId, "user id", length) is { } user) return user;
        if (NameRules.Problem(submission.TaskName, "task name", length) is { } task) return task;
        if (submission.SubmissionId is { } id && NameRules.Problem(id, "submission id", length) is { } sid) return sid;
        if (submission.MaxAttempts is < 1)
            return $"max attempts {submission.MaxAttempts} is invalid: a task needs at least 1 attempt";
        if (CountProblem(submission.Requirements?.Count, "requirement keys", settings.MaxRequirements, "max-requirements") is { } requirements) return requirements;
        if (CountProblem(submission.Immunities?.Count, "immunities", settings.MaxNamesPerSet, "max-names-per-set") is { } immunities) return immunities;
        if (CountProblem(submission.AversionGroups?.Count, "aversion groups", settings.MaxNamesPerSet, "max-names-per-set") is { } groups) return groups;
        if (QuantitiesProblem(submission.Requirements, "requirement", length) is { } requirement) return requirement;
        if (SetProblem(submission.Immunities, "immunity", length) is { } immunity) return immunity;
        return SetProblem(submission.AversionGroups, "aversion group", length);
    }

    /// <summary>
    /// Null when the task policies are acceptable: every duration positive (a zero back-off or delay is allowed) and under its
    /// limit, the retries between 0 and the limit, and at most one of delay and not-before, which may not lie beyond the
    /// delay limit. Each refusal names the field and the configuration key of its limit.
    /// </summary>
    private static string? PolicyProblem(SubmitTask submission, SchedulerSettings settings, DateTimeOffset now)
    {
        if (submission.Retry is { } retry)
        {
            if (retry.Attempts < 0 || retry.Attempts > settings.MaxRetryAttempts)
                return $"retry attempts {retry.Attempts.ToString(CultureInfo.InvariantCulture)} is invalid: it must be between 0 and {settings.MaxRetryAttempts.ToString(CultureInfo.InvariantCulture)} (lighthouse.scheduler.max-retry-attempts)";
            if (DurationProblem(retry.Backoff, "retry backoff", settings.MaxRetryBackoff, "max-retry-backoff", zeroAllowed: true) is { } backoff) return backoff;
            if (retry.MaxBackoff is { } max)
            {
                if (DurationProblem(max, "retry max backoff", settings.MaxRetryBackoff, "max-retry-backoff", zeroAllowed: true) is { } maxBackoff) return maxBackoff;
                if (max < retry.Backoff)
                    return $"retry max backoff {Milliseconds(max)} is below the backoff {Milliseconds(retry.Backoff)}: the waits grow from the backoff up to the max";
            }
        }
        if (submission.Timeout is { } timeout && DurationProblem(timeout, "timeout", settings.MaxTaskTimeout, "max-task-timeout", zeroAllowed: false) is { } timeoutProblem)
            return timeoutProblem;
        if (submission.Delay is not null && submission.NotBefore is not null)
            return "both a delay and a not-before time are given: give one of them";
        if (submission.Delay is { } delay && DurationProblem(delay, "delay", settings.MaxDelay, "max-delay", zeroAllowed: true) is { } delayProblem)
            return delayProblem;
        if (submission.NotBefore is { } notBefore && notBefore - now > settings.MaxDelay)
            return $"not-before {notBefore.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} is more than {Milliseconds(settings.MaxDelay)} ahead, the limit (lighthouse.scheduler.max-delay)";
        return null;
    }

    private static string? DurationProblem(TimeSpan value, string what, TimeSpan limit, string key, bool zeroAllowed)
    {
        if (value < TimeSpan.Zero || (!zeroAllowed && value == TimeSpan.Zero))
            return $"{what} {Milliseconds(value)} is invalid: it must be {(zeroAllowed ? "zero or more" : "positive")}";
        return value > limit
            ? $"{what} {Milliseconds(value)} is over the limit of {Milliseconds(limit)} (lighthouse.scheduler.{key})"
            : null;
    }

    private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Checked before any entry is looked at, so a flood of keys costs nothing but this count.</summary>
    private static string? CountProblem(int? count, string what, int limit, string key) =>
        count > limit
            ? $"{count.Value.ToString(CultureInfo.InvariantCulture)} {what} is over the limit of {limit.ToString(CultureInfo.InvariantCulture)} per task (lighthouse.scheduler.{key})"
            : null;

    /// <summary>Null when the registration is acceptable.</summary>
    public static string? Problem(RegisterWorker registration, SchedulerSettings settings)
    {
        var length = settings.MaxNameLength;
        if (NameRules.Problem(registration.Node, "node name", length) is { } node) return node;
        if (registration.Slots < 1)
            return $"node \"{registration.Node}\" offers {registration.Slots} slots: a worker node needs at least 1";
        if (registration.Priorities is null)
            return $"node \"{registration.Node}\" has no priority range";
        if (registration.Priorities.Min > registration.Priorities.Max)
            return $"node \"{registration.Node}\" has priority range {registration.Priorities}: its minimum is above its maximum";
        if (LanesProblem(registration) is { } lanes) return lanes;
        if (registration.TaskNames is null || registration.TaskNames.Count == 0)
            return $"node \"{registration.Node}\" handles no task name, so it could run nothing";
        foreach (var name in registration.TaskNames)
        {
            if (NameRules.Problem(name, "task name", length) is { } problem) return $"node \"{registration.Node}\": {problem}";
        }
        if (registration.Resources is null) return $"node \"{registration.Node}\" has no resource map";
        return QuantitiesProblem(registration.Resources, "resource", length) is { } resource ? $"node \"{registration.Node}\": {resource}" : null;
    }

    /// <summary>Lanes the worker's own checks would accept, whose slots add up to the node's and whose span is its range.</summary>
    private static string? LanesProblem(RegisterWorker registration)
    {
        if (registration.Lanes is not { } lanes) return null;
        if (WorkerLanes.Problem(lanes, $"node \"{registration.Node}\" lanes") is { } problem) return problem;
        if (WorkerLanes.TotalSlots(lanes) != registration.Slots)
            return $"node \"{registration.Node}\" offers {registration.Slots} slots but its lanes have {WorkerLanes.TotalSlots(lanes)}: with lanes, the slots are their sum";
        if (WorkerLanes.Span(lanes) is var span && span != registration.Priorities)
            return $"node \"{registration.Node}\" has priority range {registration.Priorities} but its lanes span {span}: with lanes, the range is theirs";
        return null;
    }

    private static string? QuantitiesProblem(IReadOnlyDictionary<string, double>? quantities, string what, int maxLength)
    {
        if (quantities is null) return null;
        foreach (var (key, quantity) in quantities)
        {
            if (NameRules.Problem(key, what + " name", maxLength) is { } problem) return problem;
            if (key == PlacementShape.SlotsKey)
                return $"{what} \"{key}\" is reserved: the scheduler counts one slot per task itself";
            if (key.StartsWith(PlacementShape.TaskTagPrefix, StringComparison.Ordinal))
                return $"{what} \"{key}\" is reserved: \"{PlacementShape.TaskTagPrefix}\" names the task names a node handles";
            if (double.IsNaN(quantity))
                return $"{what} \"{key}\" is NaN";
        }
        return null;
    }

    private static string? SetProblem(IReadOnlySet<string>? names, string what, int maxLength)
    {
        if (names is null) return null;
        foreach (var name in names)
        {
            if (NameRules.Problem(name, what, maxLength) is { } problem) return problem;
        }
        return null;
    }
}
