using Lighthouse.Protocol;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// The tasks a worker runs, at most one per slot. A slot is taken when a task starts and given back when
/// its end is reported (or when it is abandoned), which is when the scheduler counts it free too. On a worker with
/// <paramref name="lanes"/>, a task takes a slot of the lane its priority falls in, as the scheduler counts it.
/// </summary>
internal sealed class RunningTasks(string node, int slots, IReadOnlyList<WorkerLane>? lanes = null)
{
    private readonly Dictionary<string, RunningTask> _tasks = new(StringComparer.Ordinal);
    private readonly int[] _laneRunning = new int[lanes?.Count ?? 0];
    private long _runs;

    public int Slots => slots;
    public int Count => _tasks.Count;

    /// <summary>The ids of the running tasks, in start order.</summary>
    public IEnumerable<string> Ids => _tasks.Values.OrderBy(t => t.Run).Select(t => t.TaskId);

    public RunningTask? Find(string taskId) => _tasks.GetValueOrDefault(taskId);

    /// <summary>The task, only if it is still the run <paramref name="run"/>.</summary>
    public RunningTask? Find(string taskId, long run) => _tasks.TryGetValue(taskId, out var task) && task.Run == run ? task : null;

    /// <summary>Null when the task can start here; else why not. The scheduler never sends more tasks than slots, but if it does, only the extra task is refused.</summary>
    public string? Refusal(StartTask start)
    {
        if (lanes is not null) return LaneRefusal(start);
        if (_tasks.Count < slots) return null;
        var busy = _tasks.Values.OrderBy(t => t.Run).Select(t => t.TaskId).ToList();
        var shown = string.Join(", ", busy.Take(5)) + (busy.Count > 5 ? $" and {busy.Count - 5} more" : "");
        return $"worker node \"{node}\" refused task {start.TaskId} ({start.TaskName}): all {slots} slots are busy ({shown}); " +
               "the scheduler sent more tasks than the node's slots";
    }

    private string? LaneRefusal(StartTask start)
    {
        var lane = WorkerLanes.IndexOf(lanes!, start.Priority);
        if (lane < 0)
            return $"worker node \"{node}\" refused task {start.TaskId} ({start.TaskName}): none of its lanes ({string.Join(", ", lanes!)}) holds priority {start.Priority}";
        if (_laneRunning[lane] < lanes![lane].Slots) return null;
        return $"worker node \"{node}\" refused task {start.TaskId} ({start.TaskName}): all {lanes[lane].Slots} slots of its lane {lane + 1} ({lanes[lane]}) " +
               $"for priority {start.Priority} are busy; the scheduler sent more tasks than the lane's slots";
    }

    /// <summary>Tasks running in each lane (empty without lanes).</summary>
    public IReadOnlyList<int> LaneRunning => _laneRunning;

    /// <summary>Takes a slot for <paramref name="start"/>; the caller has checked <see cref="Refusal"/> and that the id is not running.</summary>
    public RunningTask Add(StartTask start, TimeSpan progressInterval)
    {
        if (_tasks.ContainsKey(start.TaskId))
            throw new InvalidOperationException($"task {start.TaskId} already runs on worker node \"{node}\"");
        if (_tasks.Count >= slots)
            throw new InvalidOperationException($"worker node \"{node}\" has no free slot for task {start.TaskId}");
        var lane = lanes is null ? -1 : WorkerLanes.IndexOf(lanes, start.Priority);
        if (lanes is not null && (lane < 0 || _laneRunning[lane] >= lanes[lane].Slots))
            throw new InvalidOperationException($"worker node \"{node}\" has no free slot in a lane for task {start.TaskId} (priority {start.Priority})");
        var task = new RunningTask(start, ++_runs, progressInterval, lane);
        _tasks.Add(start.TaskId, task);
        if (lane >= 0) _laneRunning[lane]++;
        return task;
    }

    /// <summary>Gives the task's slot back.</summary>
    public void Remove(RunningTask task)
    {
        if (!_tasks.TryGetValue(task.TaskId, out var current) || current.Run != task.Run) return;
        _tasks.Remove(task.TaskId);
        if (task.Lane >= 0) _laneRunning[task.Lane]--;
    }

    /// <summary>Gives every slot back, returning the tasks in start order (when the scheduler that started them is gone).</summary>
    public IReadOnlyList<RunningTask> RemoveAll()
    {
        var all = _tasks.Values.OrderBy(t => t.Run).ToList();
        _tasks.Clear();
        Array.Clear(_laneRunning);
        return all;
    }
}
