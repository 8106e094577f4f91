using System.Text.Json;

namespace Lighthouse.Worker;

/// <summary>
/// What a handler gets for one run of a task: who asked, the payload, a progress reporter and a token
/// that fires when the task is cancelled, times out, or its scheduler is gone.
/// </summary>
public sealed class TaskContext(
    string taskId,
    string taskName,
    string userId,
    int priority,
    int attempt,
    JsonElement payload,
    string payloadText,
    IProgress<double> progress,
    CancellationToken cancellationToken)
{
    /// <summary>The scheduler's id of the task.</summary>
    public string TaskId { get; } = taskId;

    /// <summary>The task name the handler was registered under.</summary>
    public string TaskName { get; } = taskName;

    /// <summary>The user who submitted the task.</summary>
    public string UserId { get; } = userId;

    /// <summary>The task's priority.</summary>
    public int Priority { get; } = priority;

    /// <summary>Counts from 1; above 1 when an earlier worker of this task was lost.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>The payload as parsed JSON. It stays valid after the handler returns.</summary>
    public JsonElement Payload { get; } = payload;

    /// <summary>The payload exactly as submitted.</summary>
    public string PayloadText { get; } = payloadText;

    /// <summary>
    /// Reports how far the task is, in percent (0–100; values outside are clamped, NaN is ignored). Call it as
    /// often as you like: the worker passes on at most one report per whole percent, and at most one per
    /// progress interval per task.
    /// </summary>
    public IProgress<double> Progress { get; } = progress;

    /// <summary>Fires when the task is cancelled, exceeds its handler's timeout, or the worker stops.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// The nice value of the worker lane the task runs in (<c>--lane SLOTS:MIN:MAX:NICE</c>), or null when the worker has no
    /// lanes or the lane sets none. A process handler without a nice value of its own starts its program at this one.
    /// </summary>
    public int? LaneNice { get; init; }

    /// <summary>Shorthand for <c>Progress.Report(percent)</c>.</summary>
    public void ReportProgress(double percent) => Progress.Report(percent);
}
