using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>
/// What the queued tasks say about the cluster: the oldest one (and so its pending reason), and the ones no
/// worker can take. A task is blocked when no worker node is reachable at all, or when the scheduler found that
/// none of the current nodes can ever take it (<see cref="TaskInfo.WaitsForCapacity"/> false: its name, its
/// priority or its requirements), and its pending reason says which. A task waiting for running ones to free
/// room is not blocked, however long it waits.
/// </summary>
public sealed record WaitingTasks(TaskInfo? Oldest, IReadOnlyList<TaskInfo> Blocked)
{
    /// <summary>Sorts out <paramref name="tasks"/> (any states; only queued ones count) against the nodes.</summary>
    public static WaitingTasks Of(IEnumerable<TaskInfo> tasks, NodesView nodes)
    {
        var queued = tasks
            .Where(t => t.State == TaskState.Queued)
            .OrderBy(t => t.SubmittedAt)
            .ThenBy(t => t.TaskId.Length)
            .ThenBy(t => t.TaskId, StringComparer.Ordinal)
            .ToList();
        var anyReachable = nodes.Nodes.Any(n => n.State == WorkerNodeState.Reachable);
        var blocked = anyReachable ? queued.Where(t => t.WaitsForCapacity == false).ToList() : queued;
        return new WaitingTasks(queued.FirstOrDefault(), blocked);
    }
}
