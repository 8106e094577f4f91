using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

// Snapshots: the state captured as plain data, and rebuilt from it. A restored state answers every
// query and makes every decision exactly as the captured one would (dispatch memos aside, which are
// only a shortcut and are asked again).
internal sealed partial class SchedulerState
{
    /// <summary>The whole state as data. Costs a walk over every task; the state is not changed.</summary>
    public SchedulerImage Capture()
    {
        var tasks = _tasks.All.ToList();
        // Tasks are known in submission order unless some were forgotten and their slots reused: sorting a million that
        // are in order already held the scheduler up ~0.1 s in the snapshot a long recovery takes before it answers.
        if (!InSequenceOrder(tasks)) tasks.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var shapes = new SortedDictionary<int, PlacementShape>();
        foreach (var task in tasks) shapes.TryAdd(task.Shape.Id, task.Shape);

        return new SchedulerImage(
            _lastSequence,
            _shapes.NextId,
            _shapes.CapacityEpoch,
            _shapes.TopologyEpoch,
            shapes.Values.Select(s => new ShapeImage(s.Id, s.TaskName, s.Priority, s.Requirements, s.Immunities, _shapes.IsRegistered(s))).ToList(),
            NodesInRegistrationOrder().Select(n => new NodeImage(RegistrationOf(n), n.Reachable)).ToList(),
            tasks.Select(t => new TaskImage(
                t.Id, t.Sequence, t.Shape.Id, t.UserId, t.Payload, t.AversionGroups, t.MaxAttempts, t.SubmissionId, t.SubmittedAt,
                t.State, t.Progress, t.Result, t.Error, t.Node, t.Attempts, t.Requeued, t.CancelRequested,
                t.StartedAt, t.FinishedAt, t.CollectedAt, t.ExpiresAt)).ToList(),
            _queues.Users.OrderBy(u => u.UserId, StringComparer.Ordinal).Select(u => new UserImage(u.UserId, u.WaitingSince)).ToList(),
            _queues.Stamps,
            _statistics.Export(),
            _history.Interval,
            _history.Export(),
            tasks.Where(HasPolicies).Select(t => new TaskPolicyImage(t.Id, t.Retry, t.Timeout, t.NotBefore, t.DueAt, t.Retries, t.AttemptErrors?.ToList(), t.After, t.ConcurrencyKey)).ToList(),
            _policies.Runtime.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new UserPolicyImage(p.Key, p.Value.Weight, p.Value.MaxRunning)).ToList(),
            _keys.All.Where(k => k.RuntimeLimit is not null).OrderBy(k => k.Name, StringComparer.Ordinal).Select(k => new KeyLimitImage(k.Name, k.RuntimeLimit!.Value)).ToList(),
            _keys.All.OrderBy(k => k.Name, StringComparer.Ordinal).SelectMany(k => k.Waiting).Select(t => t.Id).ToList());
    }

    // Sequences are unique (Restore refuses a snapshot with two alike), so an unstable sort orders them as OrderBy did.
    private static bool InSequenceOrder(List<TaskRecord> tasks)
    {
        for (var i = 1; i < tasks.Count; i++)
        {
            if (tasks[i - 1].Sequence > tasks[i].Sequence) return false;
        }
        return true;
    }

    private static bool HasPolicies(TaskRecord t) =>
        t.Retry is not null || t.Timeout is not null || t.NotBefore is not null || t.Retries != 0 || t.After is not null || t.ConcurrencyKey is not null;

    /// <summary>
    /// The worker nodes in the order they registered (ties by name): the order a placement engine rebuilt
    /// after a recovery adds them in, which is what the prioritized strategy ranks by.
    /// </summary>
    public IEnumerable<WorkerNode> NodesInRegistrationOrder() =>
        _nodes.All.OrderBy(n => n.RegisteredAt).ThenBy(n => n.Name, StringComparer.Ordinal);

    /// <summary>The registration event a node was added by.</summary>
    public static NodeRegistered RegistrationOf(WorkerNode node) =>
        new(node.Name, node.Resources, node.TaskNames, node.Priorities, node.Slots, node.RegisteredAt, node.Lanes);

    /// <summary>
    /// A state rebuilt from <paramref name="image"/> under <paramref name="settings"/>. Throws
    /// <see cref="InvalidOperationException"/> naming the first inconsistency (a task on an unknown node or
    /// shape, a queued task of a dropped shape, …). A history recorded at another interval is dropped: its
    /// samples would mean other times.
    /// </summary>
    public static SchedulerState Restore(SchedulerSettings settings, SchedulerImage image)
    {
        var state = new SchedulerState(settings);
        state._lastSequence = image.LastSequence;
        state._tasks.EnsureCapacity(image.Tasks.Count);

        var shapes = new Dictionary<int, PlacementShape>();
        foreach (var s in image.Shapes)
        {
            if (s.Id >= image.NextShapeId) throw Inconsistent($"shape {s.Id} is not below the next shape id {image.NextShapeId}");
            if (!shapes.TryAdd(s.Id, state._shapes.Restore(s.Id, s.TaskName, s.Priority, s.Requirements, s.Immunities, s.Registered)))
                throw Inconsistent($"shape {s.Id} appears twice");
        }
        state._shapes.RestoreCounters(image.NextShapeId, image.CapacityEpoch, image.TopologyEpoch);

        foreach (var node in image.Nodes)
        {
            if (state._nodes.Contains(node.Registration.Node)) throw Inconsistent($"node \"{node.Registration.Node}\" appears twice");
            state._nodes.Add(node.Registration);
            if (!node.Reachable) state._nodes.SetReachable(node.Registration.Node, false);
        }

        var policies = new Dictionary<string, TaskPolicyImage>(StringComparer.Ordinal);
        foreach (var p in image.Policies ?? [])
        {
            if (!policies.TryAdd(p.Id, p)) throw Inconsistent($"the policies of task {p.Id} appear twice");
        }
        var running = new List<TaskRecord>();
        var queued = new List<TaskRecord>();
        var finished = new List<TaskRecord>();
        var keyWaiters = new HashSet<string>(image.KeyWaiters ?? [], StringComparer.Ordinal);
        var previous = long.MinValue;
        foreach (var t in image.Tasks)
        {
            if (t.Sequence <= previous) throw Inconsistent($"task {t.Id} (sequence {t.Sequence}) is out of sequence order");
            previous = t.Sequence;
            if (t.Sequence > image.LastSequence) throw Inconsistent($"task {t.Id} has sequence {t.Sequence}, above the last one ({image.LastSequence})");
            if (!shapes.TryGetValue(t.ShapeId, out var shape)) throw Inconsistent($"task {t.Id} refers to unknown shape {t.ShapeId}");
            if (state._tasks.Find(t.Id) is not null) throw Inconsistent($"task {t.Id} appears twice");
            var policy = policies.GetValueOrDefault(t.Id);
            var task = new TaskRecord(t.Id, t.Sequence, shape, state._tasks.SharedUserId(t.UserId), t.Payload, t.AversionGroups, t.MaxAttempts, t.SubmissionId, t.SubmittedAt)
            {
                Retry = policy?.Retry,
                Timeout = policy?.Timeout,
                NotBefore = policy?.NotBefore,
                Retries = policy?.Retries ?? 0,
                AttemptErrors = policy?.AttemptErrors?.ToList(),
                After = policy?.After,
                ConcurrencyKey = policy?.ConcurrencyKey,
                State = t.State,
                Progress = t.Progress,
                Result = t.Result,
                Error = t.Error,
                Node = t.Node,
                Attempts = t.Attempts,
                Requeued = t.Requeued,
                CancelRequested = t.CancelRequested,
                StartedAt = t.StartedAt,
                FinishedAt = t.FinishedAt,
                CollectedAt = t.CollectedAt,
            };
            state._tasks.Add(task);
            if (t.State.IsFinished())
            {
                task.ExpiresAt = t.ExpiresAt;
                finished.Add(task);
                continue;
            }
            if (!state._shapes.IsRegistered(shape)) throw Inconsistent($"task {t.Id} is {t.State} but its shape {shape.Id} is not live");
            shape.LiveTasks++;
            switch (t.State)
            {
                case TaskState.Queued when policy?.DueAt is { } due:
                    state._alarms.Wait(task, due);
                    break;
                // Parents come before their children in sequence order, so they are already restored.
                case TaskState.Queued when task.After is { Count: > 0 } && state.WaitForParents(task):
                    break;
                // Waiters are restored below, in their keys' order.
                case TaskState.Queued when keyWaiters.Contains(t.Id):
                    if (task.ConcurrencyKey is null) throw Inconsistent($"task {t.Id} waits for a concurrency key but has none");
                    break;
                case TaskState.Queued:
                    if (task.ConcurrencyKey is not null) state._keys.Hold(task);
                    queued.Add(task);
                    break;
                case TaskState.Running:
                    if (t.Node is null || !state._nodes.Contains(t.Node)) throw Inconsistent($"task {t.Id} runs on unknown node \"{t.Node}\"");
                    state._nodes.Started(t.Node, task);
                    if (task.Timeout is { } timeout) state._alarms.Watch(task, t.StartedAt!.Value + timeout + settings.TimeoutGrace);
                    if (task.ConcurrencyKey is not null) state._keys.Hold(task);
                    running.Add(task);
                    break;
                default:
                    throw Inconsistent($"task {t.Id} is in state {t.State}");
            }
        }
        if (policies.Keys.FirstOrDefault(id => state._tasks.Find(id) is null) is { } stray)
            throw Inconsistent($"policies are given for unknown task {stray}");
        if (shapes.Values.FirstOrDefault(s => state._shapes.IsRegistered(s) && s.LiveTasks == 0) is { } idle)
            throw Inconsistent($"shape {idle.Id} is live but no queued or running task has it");

        // Retention lists are kept in expiry order; a snapshot taken under higher bounds is cut to these, soonest first.
        finished.Sort(static (a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : a.Sequence.CompareTo(b.Sequence));
        foreach (var task in finished)
        {
            state._tasks.MakeRoomFor(task, settings.RetainedTasksMax, settings.RetainedBytesMax);
            state._tasks.Retain(task, task.ExpiresAt);
        }

        // Before the queues: each restored user's place depends on its weight and quota.
        foreach (var p in image.UserPolicies ?? [])
        {
            if (state._policies.Runtime.ContainsKey(p.UserId)) throw Inconsistent($"the policy of user {p.UserId} appears twice");
            state._policies.Set(p.UserId, new UserPolicySetting(p.Weight, p.MaxRunning));
        }

        state._queues.Restore(image.Users.Select(u => (u.UserId, u.WaitingSince)), running, queued, image.Stamps);
        state.RestoreKeys(image);
        state._statistics.Import(image.Statistics);
        if (image.HistoryInterval == state._history.Interval) state._history.Import(image.History);
        return state;
    }

    private static InvalidOperationException Inconsistent(string what) => new($"the scheduler snapshot is inconsistent: {what}");
}
