using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// Everything the scheduler knows: tasks, fair queues, worker nodes, statistics, history. Decision
/// methods (SchedulerState.Decisions.cs) look at it and return events without changing anything;
/// <see cref="Apply"/> is the one place it changes. A journal can therefore persist the events and
/// rebuild the state by applying them again; tests drive it without an ActorSystem.
/// </summary>
internal sealed partial class SchedulerState
{
    private readonly PlacementShapes _shapes = new();
    private readonly UserQueues _queues;
    private readonly TaskTable _tasks = new();
    private readonly WorkerNodes _nodes = new();
    private readonly TaskStatistics _statistics = new();
    private readonly ThroughputHistory _history;
    private readonly TaskAlarms _alarms = new();
    private readonly UserPolicies _policies;
    private readonly TaskDependencies _dependencies = new();
    private readonly ConcurrencyKeys _keys;
    private readonly PolicyCounters _counters = new();
    private long _lastSequence;

    public SchedulerState(SchedulerSettings settings)
    {
        Settings = settings;
        _policies = new UserPolicies(settings);
        _queues = new UserQueues(_shapes, _policies.LimitsOf);
        _keys = new ConcurrencyKeys(settings.ConcurrencyLimits, settings.DefaultConcurrencyLimit);
        _history = new ThroughputHistory(settings.HistoryInterval, settings.HistoryLength);
    }

    public SchedulerSettings Settings { get; }

    // Read access for tests, benchmarks and invariant checks.
    public UserQueues Queues => _queues;
    public TaskTable Tasks => _tasks;
    public WorkerNodes Nodes => _nodes;
    public PlacementShapes Shapes => _shapes;
    public TaskAlarms Alarms => _alarms;
    public UserPolicies Policies => _policies;

    /// <summary>How many times a user's tasks began to wait for its quota (since this state was built or restored; for /metrics).</summary>
    public long QuotaWaits => _queues.QuotaWaits;

    /// <summary>Retries and timeouts counted (for /metrics).</summary>
    public PolicyCounters Counters => _counters;
    public TaskDependencies Dependencies => _dependencies;
    public ConcurrencyKeys Keys => _keys;

    /// <summary>Applies one event. Throws <see cref="InvalidOperationException"/> when it does not fit the state (a bug, never bad input).</summary>
    public void Apply(SchedulerEvent change)
    {
        int submitted = 0, started = 0, finished = 0;
        switch (change)
        {
            case TaskSubmitted e:
                ApplySubmitted(e);
                submitted = 1;
                break;
            case TaskStarted e:
                ApplyStarted(e.TaskId, e.Node, e.Attempt, e.At);
                started = 1;
                break;
            case TaskAdopted e:
                ApplyStarted(e.TaskId, e.Node, e.Attempt, e.At);
                started = 1;
                break;
            case TaskUnplaced e:
                PlacementShapes.MarkUnplaced(Require(e.TaskId, TaskState.Queued).Shape, e.Reason, e.WaitsForCapacity, e.CapacityEpoch, e.TopologyEpoch);
                break;
            case TaskProgressed e:
                Require(e.TaskId, TaskState.Running).Progress = e.Percent;
                break;
            case TaskCancelRequested e:
                Require(e.TaskId, TaskState.Running).CancelRequested = true;
                break;
            case TaskFinished e:
                ApplyFinished(e);
                finished = 1;
                break;
            case TaskRequeued e:
                ApplyRequeued(e);
                break;
            case TaskRetrying e:
                ApplyRetrying(e);
                break;
            case TaskDue e:
                var due = Require(e.TaskId, TaskState.Queued);
                _alarms.Release(due);
                Enqueue(due);
                break;
            case TaskCollected e:
                // Unknown only in a replay under lower retention bounds than it was written with: already evicted.
                if (_tasks.Find(e.TaskId) is { } collected) _tasks.Collect(collected, e.At, e.At + Settings.CollectedRetention);
                break;
            case TaskForgotten e:
                if (_tasks.Find(e.TaskId) is { } forgotten) _tasks.Forget(forgotten);
                break;
            case NodeRegistered e:
                _nodes.Add(e);
                _shapes.TopologyChanged();
                break;
            case NodeReachabilityChanged e:
                _nodes.SetReachable(e.Node, e.Reachable);
                if (e.Reachable) _shapes.TopologyChanged();
                break;
            case NodeRemoved e:
                _nodes.Remove(e.Node);
                break;
            case UserPolicyChanged e:
                _policies.Set(e.UserId, new UserPolicySetting(e.Weight, e.MaxRunning));
                _queues.SetLimits(e.UserId, _policies.LimitsOf(e.UserId));
                break;
            case ConcurrencyLimitChanged e:
                ApplyLimitChanged(e);
                break;
            default:
                throw new InvalidOperationException($"unknown scheduler event {change.GetType().Name}");
        }
        // A dispatch memo changes no count and no depth. Recording it would only open an empty interval, and the
        // journal leaves these memos out, so skipping it keeps a replayed history identical to the live one.
        if (change is not TaskUnplaced)
            _history.Record(change.At, submitted, started, finished, _queues.Queued, _queues.Running);
    }

    private void ApplySubmitted(TaskSubmitted e)
    {
        if (_tasks.Find(e.TaskId) is not null) throw new InvalidOperationException($"task {e.TaskId} already exists");
        _lastSequence = Math.Max(_lastSequence, e.Sequence);
        var shape = _shapes.Acquire(e.TaskName, e.Priority, e.Requirements, e.Immunities);
        var task = new TaskRecord(e.TaskId, e.Sequence, shape, _tasks.SharedUserId(e.UserId), e.Payload, e.AversionGroups, e.MaxAttempts, e.SubmissionId, e.At)
        {
            Retry = e.Retry,
            Timeout = e.Timeout,
            NotBefore = e.NotBefore,
            After = e.After,
            ConcurrencyKey = e.ConcurrencyKey,
        };
        _tasks.Add(task);
        if (e.After is { Count: > 0 } && WaitForParents(task)) return;
        Admit(task, e.At);
    }

    /// <summary>A task free to go (submitted, or released by its last parent): it waits for its not-before time if that is ahead, else it queues.</summary>
    private void Admit(TaskRecord task, DateTimeOffset at)
    {
        if (task.NotBefore is { } notBefore && notBefore > at) _alarms.Wait(task, notBefore);
        else Enqueue(task);
    }

    private void ApplyStarted(string taskId, string node, int attempt, DateTimeOffset at)
    {
        var task = Require(taskId, TaskState.Queued);
        if (task.ConcurrencyKey is not null) KeyStarting(task);
        _queues.Dequeue(task, started: true);
        task.State = TaskState.Running;
        task.Node = node;
        task.Attempts = attempt;
        task.StartedAt = at;
        task.Progress = 0;
        _nodes.Started(node, task);
        if (task.HoldsKeySlot) _keys.Started(task);
        if (task.Timeout is { } timeout) _alarms.Watch(task, at + timeout + Settings.TimeoutGrace);
        if (task.Shape.GrowsCapacity) _shapes.CapacityGrew();
    }

    private void ApplyFinished(TaskFinished e)
    {
        if (!e.State.IsFinished()) throw new InvalidOperationException($"task {e.TaskId} cannot finish as {e.State}");
        var task = Require(e.TaskId, null);
        switch (task.State)
        {
            case TaskState.Queued when task.DueAt is not null:
                _alarms.Release(task);
                break;
            case TaskState.Queued when task.WaitsForParents:
                _followUps.Remove(task);
                _dependencies.Release(task);
                break;
            case TaskState.Queued when task.WaitsForKey:
                _keys.Leave(task);
                break;
            case TaskState.Queued:
                _queues.Dequeue(task, started: false);
                break;
            case TaskState.Running:
                LeaveNode(task);
                break;
            default:
                throw new InvalidOperationException($"task {e.TaskId} already finished as {task.State}");
        }
        if (e.State == TaskState.Failed && task.State == TaskState.Running) _counters.Failed(task, e.Error);
        task.State = e.State;
        task.Result = e.Result;
        task.Error = e.Error;
        task.FinishedAt = e.At;
        ReleaseKeySlot(task);
        // A success is the whole of the work, whatever the worker last reported (progress is coalesced).
        if (e.State == TaskState.Succeeded) task.Progress = 100;
        _shapes.Release(task.Shape);
        _statistics.Record(task);
        // The bounds by count and bytes are applied here, not journaled: a replay evicts the same tasks at the same events
        // (or, under other bounds, what those bounds say), so recovery never holds more than the bounds either.
        _tasks.MakeRoomFor(task, Settings.RetainedTasksMax, Settings.RetainedBytesMax);
        _tasks.Retain(task, e.At + Settings.ResultTtl);
        if (_dependencies.Parents > 0) ParentEnded(task, e.At);
    }

    private void ApplyRequeued(TaskRequeued e)
    {
        var task = Require(e.TaskId, TaskState.Running);
        if (task.Node != e.Node) throw new InvalidOperationException($"task {e.TaskId} runs on {task.Node}, not {e.Node}");
        LeaveNode(task);
        task.State = TaskState.Queued;
        task.Requeued = true;
        task.Progress = 0;
        _queues.Enqueue(task);
        // Running, it could hold its key's slot over a lowered limit; queued again it is a holder like any other, and the
        // key is brought within its limit (found by CoordinationProperties: it would otherwise start over the limit).
        if (task.HoldsKeySlot && _keys.Find(task.ConcurrencyKey!) is { } key) Settle(key);
    }

    private void ApplyRetrying(TaskRetrying e)
    {
        var task = Require(e.TaskId, TaskState.Running);
        LeaveNode(task);
        task.State = TaskState.Queued;
        task.Progress = 0;
        _counters.Retried(task, e.Error);
        task.Retries++;
        task.AddAttemptError(e.Error);
        // A retry waits without its key's slot, and takes one again when due, behind the tasks that waited meanwhile.
        ReleaseKeySlot(task);
        _alarms.Wait(task, e.RetryAt);
    }

    /// <summary>A running task leaves its node: the slot and its requirements come free.</summary>
    private void LeaveNode(TaskRecord task)
    {
        _alarms.Unwatch(task);
        if (task.HoldsKeySlot) _keys.StoppedRunning(task);
        _nodes.Ended(task.Node!, task);
        _queues.RunningEnded(task.UserId);
        task.CancelRequested = false;
        _shapes.CapacityGrew();
    }

    private TaskRecord Require(string taskId, TaskState? state)
    {
        var task = _tasks.Find(taskId) ?? throw new InvalidOperationException($"unknown task {taskId}");
        if (state is { } expected && task.State != expected)
            throw new InvalidOperationException($"task {taskId} is {task.State}, expected {expected}");
        return task;
    }
}
