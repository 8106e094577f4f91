using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// What the queued tasks say about the cluster: the oldest one (and so its pending reason), and the ones no
/// worker can take. A task is blocked when no worker node is reachable at all, or when it has waited at least
/// <see cref="BlockedAfter"/> while reachable nodes have free slots: the scheduler starts a task within
/// milliseconds when a slot is free and it fits, so waiting past that means no node fits it (its name, its
/// priority or its requirements), and its pending reason says which.
/// </summary>
public sealed record WaitingTasks(TaskInfo? Oldest, IReadOnlyList<TaskInfo> Blocked)
{
    /// <summary>How long a task may wait beside free slots before it counts as blocked.</summary>
    public static TimeSpan BlockedAfter { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Sorts out <paramref name="tasks"/> (any states; only queued ones count) against the nodes at <paramref name="now"/>.</summary>
    public static WaitingTasks Of(IEnumerable<TaskInfo> tasks, NodesView nodes, DateTimeOffset now, TimeSpan blockedAfter)
    {
        var queued = tasks
            .Where(t => t.State == TaskState.Queued)
            .OrderBy(t => t.SubmittedAt)
            .ThenBy(t => t.TaskId.Length)
            .ThenBy(t => t.TaskId, StringComparer.Ordinal)
            .ToList();
        var reachable = nodes.Nodes.Where(n => n.State == WorkerNodeState.Reachable).ToList();
        var freeSlots = reachable.Sum(n => n.FreeSlots);
        var blocked = reachable.Count == 0
            ? queued
            : freeSlots > 0
                ? queued.Where(t => now - t.SubmittedAt >= blockedAfter).ToList()
                : [];
        return new WaitingTasks(queued.FirstOrDefault(), blocked);
    }
}
