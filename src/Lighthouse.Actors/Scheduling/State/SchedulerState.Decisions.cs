using System.Globalization;
using Lighthouse.Placement;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Decisions: each looks at the state and returns what should happen, changing nothing.
internal sealed partial class SchedulerState
{
    private static readonly IReadOnlyDictionary<string, double> NoRequirements = new Dictionary<string, double>();
    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>();

    public static string TaskIdOf(long sequence) => "task-" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>Accept (a new task, or the original one for a repeated submission id) or reject with the reason.</summary>
    public Decision DecideSubmission(SubmitTask submission, DateTimeOffset now)
    {
        if (SubmissionRules.Rejection(submission, Settings, now) is { } rejected)
            return Decision.Answer(rejected);

        if (submission.SubmissionId is { } submissionId && _tasks.FindSubmission(submission.UserId, submissionId) is { } original)
            return Decision.Answer(new SubmissionAccepted(original.Id, submissionId, Duplicate: true));

        // Tasks waiting for their time count as queued: a delay is no way around the caps.
        var queued = _queues.QueuedOf(submission.UserId) + _alarms.WaitingOf(submission.UserId) + _dependencies.WaitingOf(submission.UserId) + _keys.WaitingOf(submission.UserId);
        if (queued >= Settings.QueueCapPerUser)
            return Decision.Answer(new SubmissionRejected(submission.SubmissionId,
                $"user \"{submission.UserId}\" already has {queued} queued tasks, the cap per user (lighthouse.scheduler.queue-cap-per-user = {Settings.QueueCapPerUser})",
                RejectionCode.QueueFull));
        var queuedTotal = _queues.Queued + _alarms.Waiting + _dependencies.Waiting + _keys.Waiting;
        if (queuedTotal >= Settings.QueueCapTotal)
            return Decision.Answer(new SubmissionRejected(submission.SubmissionId,
                $"the queue is full: {queuedTotal} tasks are queued across all users, the cap (lighthouse.scheduler.queue-cap-total = {Settings.QueueCapTotal}); try again later",
                RejectionCode.QueueFull));
        if (submission.HasCoordination && (ConcurrencyKeyProblem(submission) ?? DependencyProblem(submission, now)) is { } coordination)
            return Decision.Answer(new SubmissionRejected(submission.SubmissionId, coordination, RejectionCode.InvalidSubmission));

        var sequence = _lastSequence + 1;
        var taskId = TaskIdOf(sequence);
        var submitted = new TaskSubmitted(
            taskId,
            sequence,
            submission.TaskName,
            submission.UserId,
            submission.Priority,
            submission.Payload,
            submission.Requirements is { Count: > 0 } r ? new SortedDictionary<string, double>(r.ToDictionary(), StringComparer.Ordinal) : NoRequirements,
            submission.Immunities is { Count: > 0 } i ? new SortedSet<string>(i, StringComparer.Ordinal) : NoNames,
            submission.AversionGroups is { Count: > 0 } g ? new SortedSet<string>(g, StringComparer.Ordinal) : null,
            submission.MaxAttempts ?? Settings.DefaultMaxAttempts,
            submission.SubmissionId,
            now);
        if (submission.HasPolicies)
        {
            submitted = submitted with
            {
                Retry = submission.Retry,
                Timeout = submission.Timeout,
                NotBefore = submission.Delay is { } delay ? now + delay : submission.NotBefore?.ToUniversalTime(),
            };
        }
        if (submission.HasCoordination)
            submitted = submitted with { After = DistinctParents(submission.After), ConcurrencyKey = submission.ConcurrencyKey };
        return new Decision([submitted], new SubmissionAccepted(taskId, submission.SubmissionId, Duplicate: false));
    }

    /// <summary>
    /// The next queued task to offer the placement engine, or null when nothing could start: no free
    /// slot on a reachable node, nothing queued, or every queued shape known not to fit.
    /// </summary>
    public PlaceTask? NextPlacement()
    {
        if (_nodes.FreeSlots <= 0) return null;
        return _queues.NextCandidate() is { } task ? RequestFor(task) : null;
    }

    /// <summary>
    /// The next queued tasks to offer the placement engine in one request (at most <paramref name="max"/>, and no
    /// more than the free slots), in the order one-at-a-time dispatch would offer them if each started; empty when
    /// nothing could start. See <see cref="UserQueues.NextCandidates"/>.
    /// </summary>
    public List<PlaceTask> NextPlacements(int max)
    {
        if (_nodes.FreeSlots <= 0) return [];
        var tasks = _queues.NextCandidates(Math.Min(max, _nodes.FreeSlots));
        return tasks.ConvertAll(RequestFor);
    }

    private PlaceTask RequestFor(TaskRecord task) =>
        new(task.Id, task.Priority, WorkloadOf(task), _shapes.CapacityEpoch, _shapes.TopologyEpoch);

    /// <summary>What the placement engine places for a task: its shape's requirements, immunities and its aversion groups.</summary>
    private static Workload WorkloadOf(TaskRecord task)
    {
        var shape = task.Shape;
        return new Workload(task.Id, shape.PlacementRequirements, shape.Immunities.Count == 0 ? null : shape.Immunities, task.AversionGroups);
    }

    /// <summary>Start the task on the node the engine chose, or remember why none fits.</summary>
    public PlacementDecision DecidePlacement(PlacementOutcome outcome, DateTimeOffset now)
    {
        var task = _tasks.Find(outcome.TaskId);
        // Parked meanwhile (a concurrency limit lowered): it left its queue and may not start.
        var queued = task is { State: TaskState.Queued, IsParked: false };
        if (outcome.Node is not { } nodeName)
        {
            return queued
                ? new PlacementDecision([new TaskUnplaced(outcome.TaskId, outcome.Reason ?? "no node fits", outcome.WaitsForCapacity, outcome.CapacityEpoch, outcome.TopologyEpoch, now)], false)
                : new PlacementDecision([], false);
        }
        // While the engine was asked, the task may have been cancelled or its node may have become unusable.
        if (queued && _nodes.Find(nodeName) is { Reachable: true } node && node.HasFreeSlotFor(task!.Priority))
            return new PlacementDecision([new TaskStarted(outcome.TaskId, nodeName, task!.Attempts + 1, now)], false);
        return new PlacementDecision([], true);
    }

    /// <summary>Cancel: a queued task at once, a running one through its worker; a finished one stays as it is.</summary>
    public Decision DecideCancel(string taskId, DateTimeOffset now)
    {
        if (FindLive(taskId, now) is not { } task) return Decision.Answer(new UnknownTask(taskId));
        return task.State switch
        {
            TaskState.Queued => new Decision([new TaskFinished(taskId, TaskState.Cancelled, null, WaitingCancel(task), now)], new TaskCancelled(taskId)),
            TaskState.Running when task.CancelRequested => Decision.Answer(new CancelPending(taskId, task.Node!)),
            TaskState.Running => new Decision([new TaskCancelRequested(taskId, now)], new CancelPending(taskId, task.Node!)),
            _ => Decision.Answer(new TaskAlreadyFinished(taskId, task.State)),
        };
    }

    private static string WaitingCancel(TaskRecord task) => task.WaitsForParents ? "cancelled while waiting for its dependencies"
        : task.WaitsForKey ? $"cancelled while waiting for concurrency key {task.ConcurrencyKey}"
        : task.DueAt is null ? "cancelled while queued"
        : task.Retries > 0 ? $"cancelled while waiting to retry (after {task.Retries} failed attempt(s))"
        : "cancelled while waiting for its not-before time";

    /// <summary>A status read; the first collecting read of a finished task collects it (its retention is shortened).</summary>
    public Decision DecideStatusRead(string taskId, DateTimeOffset now, bool collect = true)
    {
        if (FindLive(taskId, now) is not { } task) return Decision.Answer(new UnknownTask(taskId));
        var info = Info(task, now);
        return collect && task.State.IsFinished() && task.CollectedAt is null
            ? new Decision([new TaskCollected(taskId, now)], info)
            : Decision.Answer(info);
    }

    /// <summary>A worker's report about a task on <paramref name="node"/>; refused with a reason unless the task runs there.</summary>
    public Decision DecideReport(string node, IWorkerReport report, DateTimeOffset now)
    {
        var taskId = report.TaskId;
        var task = _tasks.Find(taskId);
        if (task is not { State: TaskState.Running } || task.Node != node)
        {
            var where = task is null ? "unknown" : task.State == TaskState.Running ? $"running on node \"{task.Node}\"" : task.State.ToString();
            return Decision.Answer(new ReportRejected(taskId, $"task {taskId} is not running on node \"{node}\" (it is {where})"));
        }

        switch (report)
        {
            case ReportProgress progress:
                if (double.IsNaN(progress.Percent) || progress.Percent is < 0 or > 100)
                    return Decision.Answer(new ReportRejected(taskId, $"progress {progress.Percent.ToString(CultureInfo.InvariantCulture)} for task {taskId} is out of range: it must be between 0 and 100"));
                return new Decision([new TaskProgressed(taskId, progress.Percent, now)]);

            case ReportSuccess success:
                if (task.CancelRequested)
                    return Finish(task, TaskState.Cancelled, null, "cancelled on request; the worker had already finished it (succeeded)", now);
                return JsonText.Problem(success.Result, "the worker's result", Settings.MaxPayloadBytes) is { } problem
                    ? Finish(task, TaskState.Failed, null, problem, now)
                    : Finish(task, TaskState.Succeeded, success.Result, null, now);

            case ReportFailure failure:
                var error = string.IsNullOrWhiteSpace(failure.Error) ? "the worker reported a failure without a message" : JsonText.Truncated(failure.Error, Settings.MaxErrorBytes);
                return task.CancelRequested
                    ? Finish(task, TaskState.Cancelled, null, $"cancelled on request; the worker had already failed it: {error}", now)
                    : new Decision([FailOrRetry(task, error, now)]);

            case AcknowledgeCancel:
                return Finish(task, TaskState.Cancelled, null, task.CancelRequested ? "cancelled on request" : $"cancelled by worker node \"{node}\"", now);

            default:
                return Decision.Answer(new ReportRejected(taskId, $"unknown report {report.GetType().Name}"));
        }
    }

    /// <summary>Register a node, or refuse with the reason. A name already registered is refused here; the actor decides about re-registrations.</summary>
    public Decision DecideRegistration(RegisterWorker registration, DateTimeOffset now)
    {
        if (SubmissionRules.Problem(registration, Settings) is { } problem)
            return Decision.Answer(new WorkerRegistrationRejected(registration.Node ?? "", problem));
        if (_nodes.Contains(registration.Node))
            return Decision.Answer(new WorkerRegistrationRejected(registration.Node, $"node \"{registration.Node}\" is already registered"));
        var registered = new NodeRegistered(
            registration.Node,
            new SortedDictionary<string, double>(registration.Resources.ToDictionary(), StringComparer.Ordinal),
            registration.TaskNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            registration.Priorities,
            registration.Slots,
            now,
            registration.Lanes?.ToList());
        return new Decision([registered], new WorkerRegistered(registration.Node));
    }

    /// <summary>A node became unreachable or reachable again (nothing when unknown or unchanged).</summary>
    public IReadOnlyList<SchedulerEvent> DecideReachability(string node, bool reachable, DateTimeOffset now) =>
        _nodes.Find(node) is { } found && found.Reachable != reachable
            ? [new NodeReachabilityChanged(node, reachable, now)]
            : [];

    /// <summary>
    /// A node is gone: each running task goes back to its queue, fails when it has used its attempts,
    /// or ends cancelled when a cancel was pending; then the node is removed. Nothing when unknown.
    /// </summary>
    public IReadOnlyList<SchedulerEvent> DecideNodeLost(string node, DateTimeOffset now)
    {
        if (_nodes.Find(node) is not { } found) return [];
        var events = found.Running.OrderBy(t => t.Sequence).Select(task => LostFrom(task, node, now)).ToList();
        events.Add(new NodeRemoved(node, now));
        return events;
    }

    /// <summary>What becomes of a running task its node no longer runs: cancelled if a cancel was pending, failed after its last attempt, else re-queued.</summary>
    private static SchedulerEvent LostFrom(TaskRecord task, string node, DateTimeOffset now)
    {
        if (task.CancelRequested)
            return new TaskFinished(task.Id, TaskState.Cancelled, null, $"cancelled on request; worker node \"{node}\" was lost before acknowledging", now);
        // Retries are counted apart: the starts that ended in a lost worker are the attempts minus the retried failures.
        var lost = task.Attempts - task.Retries;
        if (lost >= task.MaxAttempts)
            return new TaskFinished(task.Id, TaskState.Failed, null,
                $"the worker was lost {lost} times (max attempts {task.MaxAttempts}); the last one was node \"{node}\"", now);
        return new TaskRequeued(task.Id, node, now);
    }

    /// <summary>
    /// A running task's attempt failed with <paramref name="error"/>: retried after its back-off while its retry policy has
    /// retries left, else failed for good (the error then says how many attempts were made).
    /// </summary>
    private SchedulerEvent FailOrRetry(TaskRecord task, string error, DateTimeOffset now)
    {
        if (task.Retry is not { } retry) return new TaskFinished(task.Id, TaskState.Failed, null, error, now);
        if (task.Retries < retry.Attempts)
            return new TaskRetrying(task.Id, error, now + retry.DelayBefore(task.Retries + 1, retry.MaxBackoff ?? Settings.MaxRetryBackoff), now);
        return new TaskFinished(task.Id, TaskState.Failed, null,
            retry.Attempts == 0 ? error : $"{error} (attempt {task.Retries + 1} of {retry.Attempts + 1}: no retries left)", now);
    }

    /// <summary>
    /// What the scheduler does by itself at <paramref name="now"/>: waiting tasks whose time came are queued; running tasks whose
    /// worker did not end them by their deadline (timeout plus grace) fail or are retried, and their workers are told to cancel them.
    /// </summary>
    public AlarmDecision DecideAlarms(DateTimeOffset now)
    {
        var events = new List<SchedulerEvent>();
        foreach (var task in _alarms.DueBy(now)) events.Add(new TaskDue(task.Id, now));
        var overdue = _alarms.OverdueBy(now);
        var cancels = new List<(string TaskId, string Node)>(overdue.Count);
        foreach (var task in overdue)
        {
            var timeout = task.Timeout!.Value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
            var grace = Settings.TimeoutGrace.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            var error = task.CancelRequested
                ? null
                : $"timed out after {timeout} ms: worker node \"{task.Node}\" did not end it within the {grace} s grace that followed (lighthouse.scheduler.task-timeout-grace)";
            events.Add(error is null
                ? new TaskFinished(task.Id, TaskState.Cancelled, null, $"cancelled on request; worker node \"{task.Node}\" did not acknowledge within its timeout and grace", now)
                : FailOrRetry(task, error, now));
            cancels.Add((task.Id, task.Node!));
        }
        return new AlarmDecision(events, cancels);
    }

    /// <summary>Finished tasks whose retention ended by <paramref name="now"/>.</summary>
    public IReadOnlyList<SchedulerEvent> DecideExpiry(DateTimeOffset now) =>
        _tasks.ExpiredAt(now).Select(t => (SchedulerEvent)new TaskForgotten(t.Id, now)).ToList();

    private static Decision Finish(TaskRecord task, TaskState state, string? result, string? error, DateTimeOffset now) =>
        new([new TaskFinished(task.Id, state, result, error, now)]);

    /// <summary>The task, unless unknown or finished with its retention over (checked on read, so no sweep is needed for correctness).</summary>
    private TaskRecord? FindLive(string taskId, DateTimeOffset now) =>
        _tasks.Find(taskId) is { } task && !(task.State.IsFinished() && task.ExpiresAt <= now) ? task : null;
}
