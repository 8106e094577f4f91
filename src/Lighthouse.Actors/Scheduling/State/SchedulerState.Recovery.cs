using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Decisions about the tasks a worker node says it runs when it registers (again): after the scheduler
// recovered from its journal, after a singleton hand-over, or after the node itself was lost and came back.
internal sealed partial class SchedulerState
{
    /// <summary>
    /// A node the state still holds, but no agent speaks for (the scheduler recovered it from the journal),
    /// registered again with the same declaration. Its running tasks that it reports stay running; the others
    /// are treated as lost with it (re-queued, failed after their last attempt, or cancelled when a cancel was
    /// pending); then it is reachable again. Nothing when the node is unknown.
    /// </summary>
    public IReadOnlyList<SchedulerEvent> DecideReturn(string node, IReadOnlyCollection<string> reported, DateTimeOffset now)
    {
        if (_nodes.Find(node) is not { } found) return [];
        var stillRunning = reported as IReadOnlySet<string> ?? new HashSet<string>(reported, StringComparer.Ordinal);
        var events = found.Running
            .Where(task => !stillRunning.Contains(task.Id))
            .OrderBy(task => task.Sequence)
            .Select(task => LostFrom(task, node, now))
            .ToList();
        if (!found.Reachable) events.Add(new NodeReachabilityChanged(node, true, now));
        return events;
    }

    /// <summary>
    /// What to do with the tasks a registered node reports running, in the order reported. One running
    /// there stays as it is. One queued (it was re-queued while the node was away) is adopted where the node
    /// has a free slot, so its work is not done twice. Any other (unknown, finished, running on another node,
    /// or queued beyond the free slots) is to be cancelled on the node: the scheduler does not count on it.
    /// </summary>
    public ReportedTasks DecideReported(string node, IReadOnlyList<string>? reported, DateTimeOffset now)
    {
        if (reported is not { Count: > 0 }) return ReportedTasks.None;
        var found = _nodes.Find(node);
        var freeSlots = found?.FreeSlots ?? 0;
        // Per lane too, on a node with lanes: what each lane has free, taken as tasks are adopted into it.
        var laneFree = found?.Lanes is { } lanes ? lanes.Select((lane, index) => lane.Slots - found.LaneRunning[index]).ToArray() : null;
        var events = new List<SchedulerEvent>();
        var cancel = new List<string>();
        foreach (var taskId in reported.Distinct(StringComparer.Ordinal))
        {
            var task = _tasks.Find(taskId);
            if (task is { State: TaskState.Running } && task.Node == node) continue;
            // Not a parked one (waiting for its time, its parents or its key): it is due to start later, not running now.
            var lane = laneFree is null || task is null ? -1 : WorkerLanes.IndexOf(found!.Lanes!, task.Priority);
            if (task is { State: TaskState.Queued, IsParked: false } && freeSlots > 0 && (laneFree is null || lane >= 0 && laneFree[lane] > 0))
            {
                events.Add(new TaskAdopted(taskId, node, task.Attempts + 1, now));
                freeSlots--;
                if (lane >= 0) laneFree![lane]--;
                continue;
            }
            cancel.Add(taskId);
        }
        return new ReportedTasks(events, cancel);
    }

    /// <summary>The tasks running on <paramref name="node"/>, in sequence order.</summary>
    public IReadOnlyList<TaskRecord> RunningOn(string node) =>
        _nodes.Find(node) is { } found ? found.Running.OrderBy(t => t.Sequence).ToList() : [];

    /// <summary>Every running task, in sequence order (the order a rebuilt placement engine reserves them in).</summary>
    public IEnumerable<TaskRecord> RunningTasks() =>
        _nodes.All.SelectMany(n => n.Running).OrderBy(t => t.Sequence);

    /// <summary>Asks the placement engine to reserve a running task where it runs.</summary>
    public static PinTask PinOf(TaskRecord task) => new(task.Id, task.Node!, WorkloadOf(task), task.Priority);
}

/// <summary>The outcome of <see cref="SchedulerState.DecideReported"/>: adoptions to apply and tasks to cancel on the node.</summary>
internal sealed record ReportedTasks(IReadOnlyList<SchedulerEvent> Events, IReadOnlyList<string> Cancel)
{
    public static ReportedTasks None { get; } = new([], []);
}
