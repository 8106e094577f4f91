namespace Lighthouse.Scheduling;

/// <summary>
/// The fair queues. The next task comes from the user running the fewest tasks for its weight (the lowest
/// running ÷ weight, compared exactly as running × other's weight in integer hundredths), ties going to the user
/// whose head task has waited longest; within a user, higher priority first, then tasks back from a
/// lost node, then first in first out. A user running as many tasks as its quota allows is out of the index
/// altogether until one of its tasks ends, so it costs dispatch nothing while it waits. A queued task whose placement shape is blocked (the engine said
/// no and nothing changed since) is passed over without asking the engine again, so it holds up
/// neither other users nor its own user's tasks of other shapes.
/// <para>
/// A head task's wait counts from when it became its user's head: when the user's queue went from
/// empty to not empty, or when the task before it was dispatched. So users with equal running counts
/// take turns. Counting from submission instead would let a user with a long backlog (whose next task
/// is always older) win every tie and starve a newcomer whenever capacity frees one slot at a time.
/// </para>
/// <para>
/// The index is per placement shape, shared by all users: each shape has a waitlist of the users with
/// queued tasks of it, fairest first, and only shapes not known to be blocked are in the open index,
/// sorted by their fairest user. The fairest user with any open shape is therefore at the front of
/// the first open shape, and users whose every task is blocked are never looked at.
/// </para>
/// <para>
/// Cost, for U users, S shapes of one user and B distinct shapes: enqueueing a task is O(1) when its
/// user already has tasks of its shape (the common case) and O(log U + log B) otherwise; a user's
/// running count changing (a start or an end) is O(S (log U + log B)); choosing the next task is
/// O(log B + S) plus O(log B) for each shape found blocked on the way, each of which then stays aside
/// until an epoch changes. A user reaching its quota leaves its S waitlists and one of its tasks ending puts it
/// back, O(S (log U + log B)) like any running count change; a weight or quota changed by an admin costs the same. When capacity grows, the shapes waiting for it go back into the open index:
/// O(log B) each, and each may be offered to the engine once more: the price of retrying exactly the
/// shapes that might now fit, paid per distinct shape, never per user or per task.
/// </para>
/// </summary>
internal sealed class UserQueues
{
    /// <summary>Lowest running ÷ weight first, then longest waiting (stamps are unique), then user id.</summary>
    private static readonly IComparer<UserQueue> FairOrder = Comparer<UserQueue>.Create(static (a, b) =>
    {
        var c = CompareShares(a.Running, a.Weight, b.Running, b.Weight);
        if (c != 0) return c;
        c = a.WaitingSince.CompareTo(b.WaitingSince);
        return c != 0 ? c : string.CompareOrdinal(a.UserId, b.UserId);
    });

    /// <summary>Open shapes by their fairest user's key, then shape id.</summary>
    private static readonly IComparer<ShapeWaitlist> OpenOrder = Comparer<ShapeWaitlist>.Create(static (a, b) =>
    {
        var c = CompareShares(a.OpenRunning, a.OpenWeight, b.OpenRunning, b.OpenWeight);
        if (c != 0) return c;
        c = a.OpenWaitingSince.CompareTo(b.OpenWaitingSince);
        return c != 0 ? c : a.Shape.Id.CompareTo(b.Shape.Id);
    });

    /// <summary>
    /// Orders running ÷ weight without dividing: running × the other's weight, in 64 bits (an int times a weight of at
    /// most <see cref="UserPolicyRules.MaxWeightHundredths"/> cannot overflow), so equal shares are equal exactly.
    /// </summary>
    private static int CompareShares(int runningA, int weightA, int runningB, int weightB) =>
        ((long)runningA * weightB).CompareTo((long)runningB * weightA);

    private readonly PlacementShapes _shapes;
    private readonly Func<string, UserLimits> _limitsOf;
    private readonly Dictionary<string, UserQueue> _users = new(StringComparer.Ordinal);
    private readonly SortedSet<ShapeWaitlist> _open = new(OpenOrder);
    private readonly List<ShapeWaitlist> _blockedUntilCapacity = [];
    private readonly List<ShapeWaitlist> _blockedUntilNodeChange = [];
    private readonly SortedDictionary<int, int> _queuedByPriority = new();
    private long _stamps;
    private long _reopenedAtCapacity;
    private long _reopenedAtTopology;

    /// <param name="shapes">The placement shapes whose blocked memos the index follows.</param>
    /// <param name="limitsOf">A user's weight and quota, asked when the user gets a queue (and told again by <see cref="SetLimits"/>).</param>
    public UserQueues(PlacementShapes shapes, Func<string, UserLimits>? limitsOf = null)
    {
        _shapes = shapes;
        _limitsOf = limitsOf ?? (static _ => UserLimits.Default);
        _reopenedAtCapacity = shapes.CapacityEpoch;
        _reopenedAtTopology = shapes.TopologyEpoch;
    }

    public int Queued { get; private set; }
    public int Running { get; private set; }

    public IReadOnlyDictionary<int, int> QueuedByPriority => _queuedByPriority;

    /// <summary>
    /// How many times a user's next task began to wait for its user's quota (for /metrics): a user with queued tasks reaching its
    /// quota, or a task queued for a user at its quota with nothing queued before. Once per wait, not per dispatch: a user at
    /// its quota is in no waitlist, so dispatch never looks at it again until one of its tasks ends. Restarts with the queues.
    /// </summary>
    public long QuotaWaits { get; private set; }

    /// <summary>How many users have queued or running tasks.</summary>
    public int UserCount => _users.Count;

    /// <summary>Users with queued or running tasks, in no particular order.</summary>
    public IEnumerable<UserQueue> Users => _users.Values;

    /// <summary>The shapes with queued tasks (each in the open index or set aside), for the blocked count.</summary>
    public IEnumerable<PlacementShape> QueuedShapes =>
        _open.Concat(_blockedUntilCapacity).Concat(_blockedUntilNodeChange).Select(waitlist => waitlist.Shape);

    /// <summary>Every queued task, read from the queues themselves (for invariant checks).</summary>
    public IEnumerable<TaskRecord> QueuedTasks => _users.Values.SelectMany(user => user.QueuedTasks);

    public int QueuedOf(string userId) => _users.TryGetValue(userId, out var user) ? user.Queued : 0;

    /// <summary>The last wait stamp handed out (a snapshot records it, so restored users keep their turns).</summary>
    public long Stamps => _stamps;

    /// <summary>
    /// Rebuilds the queues of a snapshot into these empty ones: each user with its wait stamp, the running
    /// tasks counted per user, and the queued tasks enqueued in sequence order (which puts each shape queue
    /// back in its order: re-queued tasks first, by sequence, then the rest, by sequence).
    /// </summary>
    public void Restore(IEnumerable<(string UserId, long WaitingSince)> users, IEnumerable<TaskRecord> running, IEnumerable<TaskRecord> queuedInSequence, long stamps)
    {
        if (_users.Count > 0 || Queued > 0 || Running > 0) throw new InvalidOperationException("queues can only be restored when empty");
        _stamps = stamps;
        foreach (var (userId, waitingSince) in users)
            _users.Add(userId, NewQueue(userId, waitingSince));
        // Keys (running count, wait stamp) are final before any user joins a waitlist sorted by them.
        foreach (var task in running)
        {
            UserOf(task).Running++;
            Running++;
        }
        foreach (var user in _users.Values) user.AtQuota = user.ReachedQuota;
        foreach (var task in queuedInSequence)
        {
            var user = UserOf(task);
            if (user.Enqueue(task) && !user.AtQuota) Join(user, task.Shape);
            Queued++;
            _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
        }
        _reopenedAtCapacity = _shapes.CapacityEpoch;
        _reopenedAtTopology = _shapes.TopologyEpoch;
    }

    private UserQueue NewQueue(string userId, long waitingSince)
    {
        var limits = _limitsOf(userId);
        return new UserQueue(userId) { WaitingSince = waitingSince, Weight = limits.Weight, MaxRunning = limits.MaxRunning };
    }

    /// <summary>The quota of <paramref name="userId"/> when the user runs as many tasks as it allows (its tasks wait), else null.</summary>
    public int? AtQuota(string userId) => _users.TryGetValue(userId, out var user) && user.AtQuota ? user.MaxRunning : null;

    /// <summary>
    /// A user's weight or quota changed: a user with queued or running tasks moves to its new place in the index (out of it
    /// when now at its quota, back when no longer); one without is asked again when it gets a queue.
    /// </summary>
    public void SetLimits(string userId, UserLimits limits)
    {
        if (!_users.TryGetValue(userId, out var user) || (user.Weight == limits.Weight && user.MaxRunning == limits.MaxRunning)) return;
        var wasAtQuota = Detach(user);
        user.Weight = limits.Weight;
        user.MaxRunning = limits.MaxRunning;
        Attach(user, wasAtQuota);
    }

    private UserQueue UserOf(TaskRecord task) =>
        _users.GetValueOrDefault(task.UserId) ?? throw new InvalidOperationException($"task {task.Id} belongs to user {task.UserId}, who has no queue");

    /// <summary>Queues a new or requeued task (its <see cref="TaskRecord.Requeued"/> decides where).</summary>
    public void Enqueue(TaskRecord task)
    {
        if (!_users.TryGetValue(task.UserId, out var user))
        {
            user = NewQueue(task.UserId, 0);
            _users.Add(task.UserId, user);
        }
        // A user with nothing queued is in no waitlist, so its key may change freely.
        if (user.Queued == 0) user.WaitingSince = ++_stamps;
        if (user.Queued == 0 && user.AtQuota) QuotaWaits++;
        if (user.Enqueue(task) && !user.AtQuota) Join(user, task.Shape);
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
    }

    /// <summary>Takes a queued task out: cancelled (<paramref name="started"/> false) or started, which counts it as running for its user.</summary>
    public void Dequeue(TaskRecord task, bool started)
    {
        var user = _users[task.UserId];
        if (user.Remove(task) && !user.AtQuota) Leave(user, task.Shape);
        Queued--;
        var left = _queuedByPriority[task.Priority] - 1;
        if (left == 0) _queuedByPriority.Remove(task.Priority);
        else _queuedByPriority[task.Priority] = left;
        if (started)
        {
            Running++;
            Rekey(user, +1, restartWait: true);
        }
        DropIfIdle(user);
    }

    /// <summary>One of the user's running tasks ended (finished or requeued).</summary>
    public void RunningEnded(string userId)
    {
        var user = _users.TryGetValue(userId, out var found) && found.Running > 0
            ? found
            : throw new InvalidOperationException($"user {userId} has no running task");
        Running--;
        Rekey(user, -1, restartWait: false);
        DropIfIdle(user);
    }

    /// <summary>
    /// The next task to offer the placement engine: the head of the fairest user's first shape that is
    /// not blocked, or null when every queued task is blocked (or none is queued). Only moves blocked
    /// shapes aside and stale ones back; decides nothing.
    /// </summary>
    public TaskRecord? NextCandidate()
    {
        ReopenStaleBlocks();
        while (_open.Count > 0)
        {
            var waitlist = _open.Min!;
            if (_shapes.IsBlocked(waitlist.Shape))
            {
                _open.Remove(waitlist);
                SetAside(waitlist);
                continue;
            }
            // The fairest user waiting for an open shape; its own first open shape may be a more urgent one.
            foreach (var queue in waitlist.Users.Min!.ShapesInOrder)
            {
                if (!_shapes.IsBlocked(queue.Shape)) return queue.Head;
            }
            throw new InvalidOperationException($"shape {waitlist.Shape.Id} is open but its fairest user has no open shape");
        }
        return null;
    }

    /// <summary>
    /// Up to <paramref name="max"/> tasks to offer the placement engine in one go, in the order one-at-a-time
    /// dispatch would offer them if each were started: each is taken out as if started (so its user's running
    /// count and turn move on, and the next candidate sees that), and afterwards every one is put back exactly
    /// where it was. Nothing changes but the normalisation <see cref="NextCandidate"/> does anyway.
    /// </summary>
    public List<TaskRecord> NextCandidates(int max)
    {
        var picked = new List<(TaskRecord Task, long WaitingSince)>();
        var stamps = _stamps;
        var quotaWaits = QuotaWaits;
        while (picked.Count < max && NextCandidate() is { } task)
        {
            picked.Add((task, _users[task.UserId].WaitingSince));
            Dequeue(task, started: true);
        }
        for (var i = picked.Count - 1; i >= 0; i--) PutBack(picked[i].Task, picked[i].WaitingSince);
        // A pick that brought its user to the quota was no wait: nothing started.
        (_stamps, QuotaWaits) = (stamps, quotaWaits);
        return picked.ConvertAll(p => p.Task);
    }

    /// <summary>Undoes <see cref="Dequeue"/> (started) of a task that was its shape queue's head, restoring its user's turn.</summary>
    private void PutBack(TaskRecord task, long waitingSince)
    {
        var user = _users[task.UserId];
        Running--;
        Rekey(user, -1, waitingSince);
        if (user.EnqueueFirst(task) && !user.AtQuota) Join(user, task.Shape);
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
    }

    private void Join(UserQueue user, PlacementShape shape)
    {
        var waitlist = shape.Waitlist ??= new ShapeWaitlist(shape, FairOrder);
        waitlist.Users.Add(user);
        Reindex(waitlist);
    }

    private void Leave(UserQueue user, PlacementShape shape)
    {
        var waitlist = shape.Waitlist!;
        waitlist.Users.Remove(user);
        Reindex(waitlist);
    }

    /// <summary>Changes a user's key: out of every waitlist it is in (they sort by it), change, back in, re-sort the shapes.</summary>
    private void Rekey(UserQueue user, int runningDelta, bool restartWait) =>
        Rekey(user, runningDelta, restartWait ? ++_stamps : user.WaitingSince);

    /// <summary>Changes a user's running count by <paramref name="runningDelta"/> and its wait stamp to <paramref name="waitingSince"/>, re-sorting as above.</summary>
    private void Rekey(UserQueue user, int runningDelta, long waitingSince)
    {
        var wasAtQuota = Detach(user);
        user.Running += runningDelta;
        user.WaitingSince = waitingSince;
        Attach(user, wasAtQuota);
    }

    /// <summary>Takes the user out of its waitlists (unsorted until <see cref="Attach"/>); returns whether it was at its quota (then it was in none).</summary>
    private static bool Detach(UserQueue user)
    {
        if (user.AtQuota) return true;
        foreach (var shape in user.Shapes) shape.Waitlist!.Users.Remove(user);
        return false;
    }

    /// <summary>
    /// Puts a detached user back by its new key, or leaves it out when it is now at its quota. The waitlists it left are
    /// re-sorted either way (one may be empty now, or have to be made again when the user comes back from its quota).
    /// </summary>
    private void Attach(UserQueue user, bool wasAtQuota)
    {
        user.AtQuota = user.ReachedQuota;
        if (user.AtQuota)
        {
            if (wasAtQuota) return;
            if (user.Queued > 0) QuotaWaits++;
            foreach (var shape in user.Shapes) Reindex(shape.Waitlist!);
            return;
        }
        foreach (var shape in user.Shapes)
        {
            var waitlist = shape.Waitlist ??= new ShapeWaitlist(shape, FairOrder);
            waitlist.Users.Add(user);
            Reindex(waitlist);
        }
    }

    private void DropIfIdle(UserQueue user)
    {
        if (user.Queued == 0 && user.Running == 0) _users.Remove(user.UserId);
    }

    /// <summary>Puts a waitlist where it belongs after its users changed: nowhere when empty, else open (re-sorted) or still set aside.</summary>
    private void Reindex(ShapeWaitlist waitlist)
    {
        if (waitlist.Users.Count == 0)
        {
            Unindex(waitlist);
            waitlist.Shape.Waitlist = null;
            return;
        }
        switch (waitlist.Place)
        {
            case WaitlistPlace.BlockedUntilCapacity or WaitlistPlace.BlockedUntilNodeChange:
                return;
            case WaitlistPlace.None when _shapes.IsBlocked(waitlist.Shape):
                SetAside(waitlist);
                return;
        }
        var fairest = waitlist.Users.Min!;
        if (waitlist.Place == WaitlistPlace.Open)
        {
            if (fairest.Running == waitlist.OpenRunning && fairest.Weight == waitlist.OpenWeight && fairest.WaitingSince == waitlist.OpenWaitingSince) return;
            _open.Remove(waitlist);
        }
        waitlist.OpenRunning = fairest.Running;
        waitlist.OpenWeight = fairest.Weight;
        waitlist.OpenWaitingSince = fairest.WaitingSince;
        _open.Add(waitlist);
        waitlist.Place = WaitlistPlace.Open;
    }

    private void Unindex(ShapeWaitlist waitlist)
    {
        switch (waitlist.Place)
        {
            case WaitlistPlace.Open:
                _open.Remove(waitlist);
                break;
            case WaitlistPlace.BlockedUntilCapacity:
                RemoveBlocked(_blockedUntilCapacity, waitlist);
                break;
            case WaitlistPlace.BlockedUntilNodeChange:
                RemoveBlocked(_blockedUntilNodeChange, waitlist);
                break;
        }
        waitlist.Place = WaitlistPlace.None;
    }

    private void SetAside(ShapeWaitlist waitlist)
    {
        var list = waitlist.Shape.WaitsForCapacity ? _blockedUntilCapacity : _blockedUntilNodeChange;
        waitlist.Place = waitlist.Shape.WaitsForCapacity ? WaitlistPlace.BlockedUntilCapacity : WaitlistPlace.BlockedUntilNodeChange;
        waitlist.BlockedSlot = list.Count;
        list.Add(waitlist);
    }

    private static void RemoveBlocked(List<ShapeWaitlist> list, ShapeWaitlist waitlist)
    {
        var last = list[^1];
        list[waitlist.BlockedSlot] = last;
        last.BlockedSlot = waitlist.BlockedSlot;
        list.RemoveAt(list.Count - 1);
        waitlist.BlockedSlot = -1;
    }

    /// <summary>Shapes set aside before the epoch they waited for changed go back into the open index.</summary>
    private void ReopenStaleBlocks()
    {
        if (_reopenedAtTopology != _shapes.TopologyEpoch)
        {
            Reopen(_blockedUntilNodeChange);
            Reopen(_blockedUntilCapacity);
        }
        else if (_reopenedAtCapacity != _shapes.CapacityEpoch)
        {
            Reopen(_blockedUntilCapacity);
        }
        _reopenedAtTopology = _shapes.TopologyEpoch;
        _reopenedAtCapacity = _shapes.CapacityEpoch;
    }

    private void Reopen(List<ShapeWaitlist> list)
    {
        var waitlists = list.ToArray();
        list.Clear();
        foreach (var waitlist in waitlists)
        {
            waitlist.Place = WaitlistPlace.None;
            waitlist.BlockedSlot = -1;
            Reindex(waitlist);
        }
    }
}
