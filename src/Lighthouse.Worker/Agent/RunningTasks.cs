using Lighthouse.Protocol;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// The tasks a worker runs, at most one per slot. A slot is taken when a task starts and given back when
/// its end is reported (or when it is abandoned), which is when the scheduler counts it free too.
/// </summary>
internal sealed class RunningTasks(string node, int slots)
{
    private readonly Dictionary<string, RunningTask> _tasks = new(StringComparer.Ordinal);
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
        if (_tasks.Count < slots) return null;
        var busy = _tasks.Values.OrderBy(t => t.Run).Select(t => t.TaskId).ToList();
        var shown = string.Join(", ", busy.Take(5)) + (busy.Count > 5 ? $" and {busy.Count - 5} more" : "");
        return $"worker node \"{node}\" refused task {start.TaskId} ({start.TaskName}): all {slots} slots are busy ({shown}); " +
               "the scheduler sent more tasks than the node's slots";
    }

    /// <summary>Takes a slot for <paramref name="start"/>; the caller has checked <see cref="Refusal"/> and that the id is not running.</summary>
    public RunningTask Add(StartTask start, TimeSpan progressInterval)
    {
        if (_tasks.ContainsKey(start.TaskId))
            throw new InvalidOperationException($"task {start.TaskId} already runs on worker node \"{node}\"");
        if (_tasks.Count >= slots)
            throw new InvalidOperationException($"worker node \"{node}\" has no free slot for task {start.TaskId}");
        var task = new RunningTask(start, ++_runs, progressInterval);
        _tasks.Add(start.TaskId, task);
        return task;
    }

    /// <summary>Gives the task's slot back.</summary>
    public void Remove(RunningTask task)
    {
        if (_tasks.TryGetValue(task.TaskId, out var current) && current.Run == task.Run) _tasks.Remove(task.TaskId);
    }

    /// <summary>Gives every slot back, returning the tasks in start order (when the scheduler that started them is gone).</summary>
    public IReadOnlyList<RunningTask> RemoveAll()
    {
        var all = _tasks.Values.OrderBy(t => t.Run).ToList();
        _tasks.Clear();
        return all;
    }
}
