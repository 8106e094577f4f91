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
    public static SubmissionRejected? Rejection(SubmitTask submission, SchedulerSettings settings)
    {
        if (Problem(submission, settings) is { } problem) return Invalid(submission, problem);
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
        if (registration.TaskNames is null || registration.TaskNames.Count == 0)
            return $"node \"{registration.Node}\" handles no task name, so it could run nothing";
        foreach (var name in registration.TaskNames)
        {
            if (NameRules.Problem(name, "task name", length) is { } problem) return $"node \"{registration.Node}\": {problem}";
        }
        if (registration.Resources is null) return $"node \"{registration.Node}\" has no resource map";
        return QuantitiesProblem(registration.Resources, "resource", length) is { } resource ? $"node \"{registration.Node}\": {resource}" : null;
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
