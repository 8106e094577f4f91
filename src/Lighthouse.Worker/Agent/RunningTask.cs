using Lighthouse.Protocol;

namespace Lighthouse.Worker.Agent;

/// <summary>
/// One task the agent runs. <see cref="Run"/> tells runs of the same task id apart (a task can come back
/// after its earlier run was abandoned), so a late end of an old run is never taken for the new one's.
/// </summary>
internal sealed class RunningTask(StartTask start, long run, TimeSpan progressInterval, int lane = -1)
{
    private ProgressThrottle? _progress;

    public StartTask Start { get; } = start;
    public string TaskId => Start.TaskId;
    public long Run { get; } = run;

    /// <summary>The index of the worker's lane the task runs in, or -1 on a worker without lanes.</summary>
    public int Lane { get; } = lane;

    /// <summary>Fired on cancel, timeout, loss of the scheduler or the agent's stop.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Made on the first progress report: most short tasks report none.</summary>
    public ProgressThrottle Progress => _progress ??= new ProgressThrottle(progressInterval);

    /// <summary>The scheduler asked to cancel; whatever the handler does next, the answer is an acknowledgement.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>A progress flush timer runs for this task (so its end must cancel it; most tasks never start one).</summary>
    public bool FlushScheduled { get; set; }

    /// <summary>A cancel grace timer runs for this task.</summary>
    public bool GraceScheduled { get; set; }
}
