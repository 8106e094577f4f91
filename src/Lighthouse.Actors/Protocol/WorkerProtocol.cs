namespace Lighthouse.Protocol;

// The conversation between a worker node's agent and the scheduler. The agent registers with the
// scheduler; the answer comes from the node's NodeStateActor, which is the agent's contact from then
// on: tasks are started and cancelled from it, and the agent sends its reports back to it.

/// <summary>The inclusive range of task priorities a worker node accepts.</summary>
public sealed record PriorityRange(int Min, int Max)
{
    /// <summary>Every priority.</summary>
    public static PriorityRange All { get; } = new(int.MinValue, int.MaxValue);

    public bool Contains(int priority) => priority >= Min && priority <= Max;

    public override string ToString() => $"[{Min}, {Max}]";
}

/// <summary>
/// One slot group of a worker node (<c>lighthouse-worker --lane SLOTS:MIN:MAX[:NICE]</c>, pyLoadBalancer's
/// <c>WKHUB_WORKERS</c>): <paramref name="Slots"/> tasks at once whose priority <paramref name="Priorities"/> holds,
/// their processes at OS priority <paramref name="Nice"/> (null: the worker's own). A node's lanes never overlap, so a
/// task's priority names its lane on the scheduler and the worker alike (<see cref="WorkerLanes.IndexOf"/>).
/// </summary>
public sealed record WorkerLane(int Slots, PriorityRange Priorities, int? Nice = null)
{
    public override string ToString() => Nice is { } nice ? $"{Slots}:{Priorities.Min}:{Priorities.Max}:{nice}" : $"{Slots}:{Priorities.Min}:{Priorities.Max}";
}

/// <summary>
/// A worker node offers itself: its resources (name → quantity, as the placement engine reads them),
/// the task names it handles, the priorities it accepts and how many tasks it runs at once.
/// <paramref name="Lanes"/>, when set, splits the slots into groups by priority (see <see cref="WorkerLane"/>): then
/// <paramref name="Slots"/> is their sum and <paramref name="Priorities"/> the range from their lowest minimum to their
/// highest maximum. Null is one implicit lane, exactly as before lanes existed.
/// <paramref name="RunningTasks"/> are the ids of the tasks it still runs, and of those it has finished whose final
/// report no scheduler has acknowledged yet (<see cref="ReportsAcknowledged"/>), when it registers again, e.g. after the
/// scheduler moved or recovered: those the scheduler has running there are re-attached (and the unacknowledged reports,
/// sent again after the registration, end them), the others it is told to cancel. Null or empty on a first start.
/// Answered by <see cref="WorkerRegistered"/> or <see cref="WorkerRegistrationRejected"/>.
/// </summary>
public sealed record RegisterWorker(
    string Node,
    IReadOnlyDictionary<string, double> Resources,
    IReadOnlyList<string> TaskNames,
    PriorityRange Priorities,
    int Slots,
    IReadOnlyList<string>? RunningTasks = null,
    IReadOnlyList<WorkerLane>? Lanes = null);

/// <summary>The node is registered; the sender is the node's contact for reports.</summary>
public sealed record WorkerRegistered(string Node);

/// <summary>The registration was refused; <paramref name="Reason"/> names the field and value.</summary>
public sealed record WorkerRegistrationRejected(string Node, string Reason);

/// <summary>
/// Scheduler → worker: run this task; <paramref name="Attempt"/> counts from 1 and grows with each start (a retry, a lost worker).
/// <paramref name="Timeout"/>, when set, is how long this attempt may run: the worker fires the handler's token then and
/// reports the task failed "timed out".
/// </summary>
public sealed record StartTask(string TaskId, string TaskName, string Payload, string UserId, int Priority, int Attempt, TimeSpan? Timeout = null);

/// <summary>Scheduler → worker: stop this running task and acknowledge with <see cref="AcknowledgeCancel"/>.</summary>
public sealed record CancelRunningTask(string TaskId);

/// <summary>A worker's report about one task it runs.</summary>
public interface IWorkerReport
{
    string TaskId { get; }
}

/// <summary>The task is <paramref name="Percent"/> done (0–100; out of range or NaN is rejected).</summary>
public sealed record ReportProgress(string TaskId, double Percent) : IWorkerReport;

/// <summary>The task succeeded with a JSON <paramref name="Result"/> (invalid JSON fails the task).</summary>
public sealed record ReportSuccess(string TaskId, string Result) : IWorkerReport;

/// <summary>The task failed with <paramref name="Error"/>; it is retried only under its retry policy.</summary>
public sealed record ReportFailure(string TaskId, string Error) : IWorkerReport;

/// <summary>The worker stopped the task after a <see cref="CancelRunningTask"/>.</summary>
public sealed record AcknowledgeCancel(string TaskId) : IWorkerReport;

/// <summary>
/// Scheduler → worker: the final reports (<see cref="ReportSuccess"/>, <see cref="ReportFailure"/>, <see cref="AcknowledgeCancel"/>)
/// of these tasks are taken, and durable where the scheduler journals, or were already had: the worker forgets them
/// instead of keeping them to send again after a fail-over. Sent per mailbox drain of the node's link, many ids at once.
/// </summary>
public sealed record ReportsAcknowledged(IReadOnlyList<string> TaskIds);

/// <summary>Answer to a report the scheduler could not take (the task is not running on that node, progress out of range, …).</summary>
public sealed record ReportRejected(string TaskId, string Reason);
