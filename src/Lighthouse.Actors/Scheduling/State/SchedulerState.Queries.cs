using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Read models: answers to status and monitor queries. They change nothing.
internal sealed partial class SchedulerState
{
    /// <summary>A task's status, or null when unknown or forgotten (retention over at <paramref name="now"/>).</summary>
    public TaskInfo? Status(string taskId, DateTimeOffset now) => FindLive(taskId, now) is { } task ? Info(task, now) : null;

    /// <summary>The user's known tasks in submission order.</summary>
    public TaskList TasksOf(string userId, DateTimeOffset now) =>
        new(userId, _tasks.OfUser(userId).Where(t => FindLive(t.Id, now) is not null).Select(t => Info(t, now)).ToList());

    public NodesView NodesView() => new(_nodes.All
        .OrderBy(n => n.Name, StringComparer.Ordinal)
        .Select(n => new NodeView(
            n.Name,
            n.Reachable ? WorkerNodeState.Reachable : WorkerNodeState.Unreachable,
            n.Resources,
            n.Free(),
            n.Slots,
            n.FreeSlots,
            n.Running.OrderBy(t => t.Sequence).Select(t => t.Id).ToList(),
            n.TaskNames,
            n.Priorities,
            n.RegisteredAt))
        .ToList());

    public QueuesView QueuesView() => new(
        _queues.Queued,
        _queues.Running,
        new SortedDictionary<int, int>(_queues.QueuedByPriority.ToDictionary()),
        _queues.Users
            .OrderBy(u => u.UserId, StringComparer.Ordinal)
            .Select(u => new UserQueueView(u.UserId, u.Queued, u.Running, new SortedDictionary<int, int>(u.QueuedByPriority.ToDictionary())))
            .ToList());

    public StatisticsView StatisticsView() => new(_statistics.View());

    public HistoryView HistoryView(DateTimeOffset now) => new(_history.Interval, _history.View(now));

    internal TaskInfo Info(TaskRecord task, DateTimeOffset now)
    {
        var info = task.State == TaskState.Queued
            ? task.DueAt is { } due ? task.ToInfo(WaitingReason(task, due, now), null)
            : task.WaitsForParents ? task.ToInfo(DependencyReason(task), null)
            : task.WaitsForKey ? task.ToInfo(KeyReason(task), null)
            : task.ToInfo(PendingReason(task), WaitsForCapacity(task))
            : task.ToInfo(null, null);
        if (task.State.IsFinished() || _dependencies.Parents == 0) return info;
        var dependents = _dependencies.ChildrenOf(task.Id);
        return dependents.Count == 0 ? info : info with { Dependents = dependents.ConvertAll(t => t.Id) };
    }

    /// <summary>
    /// Why a task waits for its time: <c>retrying in 3.2 s after: ERROR</c> after a failure, else <c>not before 10:42:03Z</c>
    /// (with the date when it is not within a day).
    /// </summary>
    internal static string WaitingReason(TaskRecord task, DateTimeOffset due, DateTimeOffset now)
    {
        if (task.Retries > 0)
        {
            var seconds = Math.Max(0, (due - now).TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);
            return $"retrying in {seconds} s after: {task.AttemptErrors?[^1]}";
        }
        var utc = due.UtcDateTime;
        return "not before " + (due - now < TimeSpan.FromDays(1) && due >= now
            ? utc.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The engine's last verdict on the task's shape while it still holds (the same memo that blocks dispatch):
    /// a verdict given before the nodes changed says nothing about the current nodes, so it is not repeated.
    /// </summary>
    private bool? WaitsForCapacity(TaskRecord task) =>
        task.Shape.UnplacedReason is not null && _shapes.IsBlocked(task.Shape) ? task.Shape.WaitsForCapacity : null;

    /// <summary>
    /// Why a queued task waits, most fundamental cause first: no node at all, none reachable, none
    /// handling its task name or accepting its priority, then the engine's last explanation for its
    /// shape, then a full cluster, else its turn in the fair order has not come yet.
    /// </summary>
    private string PendingReason(TaskRecord task)
    {
        if (_nodes.Count == 0) return "no worker node is registered";
        if (_nodes.ReachableCount == 0) return $"no worker node is reachable ({_nodes.Count} registered, all unreachable)";
        if (!_nodes.AnyReachableHandles(task.TaskName)) return $"no reachable worker node handles task \"{task.TaskName}\"";
        if (!_nodes.All.Any(n => n.Reachable && n.Handles(task.TaskName) && n.Priorities.Contains(task.Priority)))
            return $"no reachable worker node that handles task \"{task.TaskName}\" accepts priority {task.Priority}";
        if (_shapes.IsBlocked(task.Shape)) return task.Shape.UnplacedReason!;
        if (_nodes.FreeSlots == 0)
            return $"waiting for a free slot: all {_nodes.ReachableSlots} slots on {_nodes.ReachableCount} reachable nodes are busy";
        return "waiting for its turn: tasks of users running fewer tasks go first";
    }
}
