using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Dependencies (after: [task ids], docs/task-policies.md): a task waits, in no user queue, until every parent succeeded.
internal sealed partial class SchedulerState
{
    // Tasks a parent's failure or cancel condemned (DependencyProblem set), in the order found: DecideFollowUps ends them.
    private readonly SortedSet<TaskRecord> _followUps = new(Comparer<TaskRecord>.Create(static (a, b) => a.Sequence.CompareTo(b.Sequence)));

    /// <summary>Some waiting task is to be cancelled because a parent failed: the actor asks <see cref="DecideFollowUps"/> at once.</summary>
    public bool HasFollowUps => _followUps.Count > 0;

    /// <summary>
    /// Null when every parent of the submission may be waited for; else the refusal. A parent must be a task this scheduler
    /// still knows, of the same user (another user's task is answered as unknown, so nobody learns of it); one that failed or
    /// was cancelled is refused (the task could never run). One that succeeded is no wait.
    /// </summary>
    private string? DependencyProblem(SubmitTask submission, DateTimeOffset now)
    {
        if (submission.After is not { Count: > 0 } after) return null;
        if (after.Count > Settings.MaxDependencies)
            return $"after: {after.Count.ToString(CultureInfo.InvariantCulture)} tasks is over the limit of {Settings.MaxDependencies.ToString(CultureInfo.InvariantCulture)} per task (lighthouse.scheduler.max-dependencies)";
        foreach (var parentId in after)
        {
            if (NameRules.Problem(parentId, "after: a task id", Settings.MaxNameLength) is { } name) return name;
            if (FindLive(parentId, now) is not { } parent || parent.UserId != submission.UserId)
                return $"after: unknown task id {parentId} (a task may wait only for tasks of its own user that the scheduler still knows)";
            if (parent.State is TaskState.Failed or TaskState.Cancelled)
                return $"after: task {parentId} already {(parent.State == TaskState.Failed ? "failed" : "was cancelled")}, so this task could never run";
        }
        return null;
    }

    /// <summary>Parents in the order given, each once.</summary>
    private static IReadOnlyList<string>? DistinctParents(IReadOnlyList<string>? after) =>
        after is { Count: > 0 } ? after.Distinct(StringComparer.Ordinal).ToList() : null;

    /// <summary>Puts a new task among the waiting ones when some parent has not ended; false when all succeeded (no wait).</summary>
    private bool WaitForParents(TaskRecord task)
    {
        List<string>? pending = null;
        foreach (var parentId in task.After!)
        {
            var parent = _tasks.Find(parentId);
            // A parent no longer known succeeded and was forgotten: a submission naming it was accepted before that.
            if (parent is null || parent.State == TaskState.Succeeded) continue;
            if (parent.State.IsFinished())
            {
                // Only a restore meets this (the submission refused such a parent): the cancel the parent's end decided was lost.
                (pending ??= []).Add(parentId);
                _dependencies.Wait(task, pending);
                task.DependencyProblem = ProblemAfter(parent);
                _followUps.Add(task);
                return true;
            }
            (pending ??= []).Add(parentId);
        }
        if (pending is null) return false;
        _dependencies.Wait(task, pending);
        return true;
    }

    /// <summary>A task ended: each task waiting for it is released (after its last parent's success) or condemned.</summary>
    private void ParentEnded(TaskRecord parent, DateTimeOffset at)
    {
        foreach (var child in _dependencies.ParentEnded(parent.Id))
        {
            if (child.DependencyProblem is not null) continue;
            if (parent.State != TaskState.Succeeded)
            {
                child.DependencyProblem = ProblemAfter(parent);
                _followUps.Add(child);
                continue;
            }
            if (child.PendingParents > 1)
            {
                child.PendingParents--;
                continue;
            }
            _dependencies.Release(child);
            Admit(child, at);
        }
    }

    /// <summary>
    /// Why a child of <paramref name="parent"/> (which failed or was cancelled) is cancelled: "dependency task-12 failed". A parent
    /// itself cancelled for a dependency passes its reason on unchanged, so the whole chain names the task that failed.
    /// </summary>
    private static string ProblemAfter(TaskRecord parent) =>
        parent.State == TaskState.Cancelled && parent.Error is { } error && error.StartsWith("dependency ", StringComparison.Ordinal)
            ? error
            : $"dependency {parent.Id} {(parent.State == TaskState.Failed ? "failed" : "was cancelled")}";

    /// <summary>
    /// What follows the events just applied: tasks whose parent failed or was cancelled end cancelled (their own children
    /// follow when these are applied, and so on down the chain). Also asked after a recovery, for a cancel that was decided
    /// but not written before the scheduler stopped.
    /// </summary>
    public IReadOnlyList<SchedulerEvent> DecideFollowUps(DateTimeOffset now)
    {
        var events = new List<SchedulerEvent>(_followUps.Count);
        foreach (var task in _followUps)
        {
            if (task.State == TaskState.Queued && task.DependencyProblem is { } problem)
                events.Add(new TaskFinished(task.Id, TaskState.Cancelled, null, problem, now));
        }
        return events;
    }

    /// <summary>"waiting for task-12" (and how many more), naming the earliest parent not ended.</summary>
    private string DependencyReason(TaskRecord task)
    {
        var pending = new List<string>();
        foreach (var parentId in task.After ?? [])
        {
            if (_tasks.Find(parentId) is { } parent && !parent.State.IsFinished()) pending.Add(parentId);
        }
        return pending.Count switch
        {
            0 => task.DependencyProblem ?? "waiting for its dependencies",
            1 => $"waiting for {pending[0]}",
            _ => $"waiting for {pending[0]} and {(pending.Count - 1).ToString(CultureInfo.InvariantCulture)} more ({string.Join(", ", pending)})",
        };
    }
}
