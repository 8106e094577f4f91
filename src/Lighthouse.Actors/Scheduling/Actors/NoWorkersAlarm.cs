namespace Lighthouse.Scheduling;

/// <summary>
/// Decides when to warn that tasks are waiting while no worker node is registered: once per episode, where an
/// episode ends only when a worker node appears. A waiting queue that merely grows is the same episode, so the
/// log is not flooded; workers that come and go again start a new one.
/// </summary>
internal sealed class NoWorkersAlarm
{
    private bool _armed = true;

    /// <summary>
    /// A worker node registered: the episode is over even if no count ever showed it (a worker that comes, runs
    /// the waiting tasks and leaves between two checks must not leave the alarm silent for the next episode).
    /// </summary>
    public void WorkerAppeared() => _armed = true;

    /// <summary>The warning to log for this observation, or null.</summary>
    public string? Observe(int workerNodes, int queuedTasks)
    {
        if (workerNodes > 0)
        {
            _armed = true;
            return null;
        }
        if (queuedTasks == 0 || !_armed) return null;
        _armed = false;
        var tasks = queuedTasks == 1 ? "1 task" : $"{queuedTasks} tasks";
        return $"no workers: {tasks} waiting; start a worker (lighthouse-worker --seed HOST:PORT) to run them";
    }
}
