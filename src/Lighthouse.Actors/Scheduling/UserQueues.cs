namespace Lighthouse.Scheduling;

/// <summary>
/// The fair queues. Users with queued tasks are kept sorted by (running tasks, how long their head task
/// has waited, user id): the next task comes from the user running the fewest tasks, ties going to the
/// user whose head task has waited longest, then to the lower user id. Within a user, higher priority
/// first, then tasks back from a lost node, then first in first out.
/// <para>
/// A head task's wait counts from when it became its user's head: when the user's queue went from
/// empty to not empty, or when the task before it was dispatched. So users with equal running counts
/// take turns. Counting from submission instead would let a user with a long backlog (whose next task
/// is always older) win every tie and starve a newcomer whenever capacity frees one slot at a time.
/// </para>
/// <para>
/// A task whose placement shape is blocked (the engine said no and nothing changed since) is skipped
/// without asking the engine again, so it holds up neither other users nor its own user's tasks of
/// other shapes.
/// </para>
/// <para>
/// Cost: enqueue, remove and a running-count change are O(log U + log S + log T) for U ready users,
/// S shapes of the user and T tasks of the shape. <see cref="NextCandidate"/> is O(log U + log S)
/// when the fairest user's next shape is not blocked, which is the case whenever capacity is free for
/// it. Worst case it walks the users in fair order past blocked shapes: O(U·S) cheap checks, but no
/// engine call, as each shape is offered to the engine at most once per epoch; a walk that finds
/// nothing is remembered until an epoch changes or an unblocked task arrives, so it is not repeated.
/// </para>
/// </summary>
internal sealed class UserQueues(PlacementShapes shapes)
{
    private static readonly IComparer<UserQueue> FairOrder = Comparer<UserQueue>.Create(static (a, b) =>
    {
        var c = a.Running.CompareTo(b.Running);
        if (c != 0) return c;
        c = a.WaitingSince.CompareTo(b.WaitingSince);
        return c != 0 ? c : string.CompareOrdinal(a.UserId, b.UserId);
    });

    private readonly Dictionary<string, UserQueue> _users = new(StringComparer.Ordinal);
    private readonly SortedSet<UserQueue> _ready = new(FairOrder);
    private readonly SortedDictionary<int, int> _queuedByPriority = new();
    private long _stamps;

    // A full walk found only blocked shapes at these epochs: nothing to try until they change or an unblocked task arrives.
    private bool _exhausted;
    private long _exhaustedCapacityEpoch;
    private long _exhaustedTopologyEpoch;

    public int Queued { get; private set; }
    public int Running { get; private set; }

    public IReadOnlyDictionary<int, int> QueuedByPriority => _queuedByPriority;

    /// <summary>Users with queued or running tasks, in no particular order.</summary>
    public IEnumerable<UserQueue> Users => _users.Values;

    /// <summary>Every queued task, read from the queues themselves (for invariant checks).</summary>
    public IEnumerable<TaskRecord> QueuedTasks => _users.Values.SelectMany(user => user.QueuedTasks);

    public int QueuedOf(string userId) => _users.TryGetValue(userId, out var user) ? user.Queued : 0;

    public int RunningOf(string userId) => _users.TryGetValue(userId, out var user) ? user.Running : 0;

    /// <summary>Queues a new or requeued task (its <see cref="TaskRecord.Requeued"/> decides where).</summary>
    public void Enqueue(TaskRecord task)
    {
        if (!_users.TryGetValue(task.UserId, out var user))
        {
            user = new UserQueue(task.UserId);
            _users.Add(task.UserId, user);
        }
        var wasEmpty = user.Queued == 0;
        user.Enqueue(task);
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
        if (!shapes.IsBlocked(task.Shape)) _exhausted = false;
        Rekey(user, 0, restartsWait: wasEmpty);
    }

    /// <summary>Takes a queued task out: cancelled (<paramref name="started"/> false) or started, which counts it as running for its user.</summary>
    public void Dequeue(TaskRecord task, bool started)
    {
        var user = _users[task.UserId];
        user.Remove(task);
        Queued--;
        var left = _queuedByPriority[task.Priority] - 1;
        if (left == 0) _queuedByPriority.Remove(task.Priority);
        else _queuedByPriority[task.Priority] = left;
        if (started) Running++;
        Rekey(user, started ? 1 : 0, restartsWait: started);
    }

    /// <summary>One of the user's running tasks ended (finished or requeued).</summary>
    public void RunningEnded(string userId)
    {
        var user = _users.TryGetValue(userId, out var found) && found.Running > 0
            ? found
            : throw new InvalidOperationException($"user {userId} has no running task");
        Running--;
        Rekey(user, -1, restartsWait: false);
    }

    /// <summary>
    /// The next task to offer the placement engine: the fairest user's first task whose shape is not
    /// blocked. Null when every queued task is blocked (or none is queued). Changes nothing but the memo
    /// of a fruitless walk.
    /// </summary>
    public TaskRecord? NextCandidate()
    {
        if (_ready.Count == 0) return null;
        if (_exhausted && _exhaustedCapacityEpoch == shapes.CapacityEpoch && _exhaustedTopologyEpoch == shapes.TopologyEpoch)
            return null;

        // The common case without allocating an enumerator: the fairest user's first shape is open.
        var first = _ready.Min!.FirstShape!;
        if (!shapes.IsBlocked(first.Shape)) return first.Head;

        foreach (var user in _ready)
        {
            foreach (var queue in user.ShapesInOrder)
            {
                if (!shapes.IsBlocked(queue.Shape)) return queue.Head;
            }
        }
        _exhausted = true;
        _exhaustedCapacityEpoch = shapes.CapacityEpoch;
        _exhaustedTopologyEpoch = shapes.TopologyEpoch;
        return null;
    }

    /// <summary>
    /// Re-sorts a user after its queue or running count changed (and restarts its head's wait when its
    /// queue was empty or it was just served); drops a user with nothing queued or running.
    /// </summary>
    private void Rekey(UserQueue user, int runningDelta, bool restartsWait)
    {
        var hasHead = user.Queued > 0;
        var running = user.Running + runningDelta;
        if (user.InReady)
        {
            if (hasHead && !restartsWait && running == user.Running) return;
            _ready.Remove(user);
            user.InReady = false;
        }
        user.Running = running;
        if (restartsWait) user.WaitingSince = ++_stamps;
        if (hasHead)
        {
            _ready.Add(user);
            user.InReady = true;
        }
        else if (running == 0)
        {
            _users.Remove(user.UserId);
        }
    }
}
