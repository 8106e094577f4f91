namespace Lighthouse.Scheduling;

/// <summary>
/// The times at which the scheduler must act on a task by itself: a waiting task's due time (a delay, a retry back-off),
/// and a running task's deadline (its timeout plus the grace its worker has to end it). Both in sorted sets, so the
/// earliest is known without a scan and the actor keeps one timer for all of them (<see cref="NextWake"/>). Waiting
/// tasks are in no user queue: dispatch never sees them, and they cost it nothing. Counted per user, since they count
/// against the queue caps like queued tasks. Delayed tasks and tasks waiting to retry (<see cref="TaskRecord.Retries"/> above 0)
/// are in two sets of the same order, so each kind is counted and listed soonest first without a walk over the other.
/// </summary>
internal sealed class TaskAlarms
{
    private static readonly IComparer<TaskRecord> DueOrder = Comparer<TaskRecord>.Create(static (a, b) =>
    {
        var c = a.DueAt!.Value.CompareTo(b.DueAt!.Value);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    private static readonly IComparer<TaskRecord> DeadlineOrder = Comparer<TaskRecord>.Create(static (a, b) =>
    {
        var c = a.Deadline!.Value.CompareTo(b.Deadline!.Value);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly SortedSet<TaskRecord> _delayed = new(DueOrder);
    private readonly SortedSet<TaskRecord> _retrying = new(DueOrder);
    private readonly SortedSet<TaskRecord> _deadlines = new(DeadlineOrder);
    private readonly Dictionary<string, int> _waitingByUser = new(StringComparer.Ordinal);

    /// <summary>Grows whenever the earliest alarm may have changed: the actor re-arms its timer only then.</summary>
    public long Version { get; private set; }

    /// <summary>Tasks waiting for their time.</summary>
    public int Waiting => _delayed.Count + _retrying.Count;

    /// <summary>Tasks waiting for their not-before time (a delay), soonest first.</summary>
    public IReadOnlyCollection<TaskRecord> Delayed => _delayed;

    /// <summary>Tasks waiting for a retry's back-off to pass, soonest first.</summary>
    public IReadOnlyCollection<TaskRecord> Retrying => _retrying;

    public int WaitingOf(string userId) => _waitingByUser.GetValueOrDefault(userId);

    public IEnumerable<TaskRecord> WaitingTasks => _delayed.Concat(_retrying);

    /// <summary>A task waiting to be retried waits in the retry set; a delayed one (never started) in the other.</summary>
    private SortedSet<TaskRecord> SetOf(TaskRecord task) => task.Retries > 0 ? _retrying : _delayed;

    /// <summary>The earliest due time or deadline; null when there is none.</summary>
    public DateTimeOffset? NextWake
    {
        get
        {
            DateTimeOffset? due = Earlier(_delayed.Count > 0 ? _delayed.Min!.DueAt : null, _retrying.Count > 0 ? _retrying.Min!.DueAt : null);
            DateTimeOffset? deadline = _deadlines.Count > 0 ? _deadlines.Min!.Deadline : null;
            if (due is null) return deadline;
            if (deadline is null) return due;
            return due < deadline ? due : deadline;
        }
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The task waits until <paramref name="dueAt"/>.</summary>
    public void Wait(TaskRecord task, DateTimeOffset dueAt)
    {
        if (task.DueAt is not null) throw new InvalidOperationException($"task {task.Id} is already waiting");
        task.DueAt = dueAt;
        SetOf(task).Add(task);
        _waitingByUser[task.UserId] = WaitingOf(task.UserId) + 1;
        Version++;
    }

    /// <summary>The task waits no longer (it is due, or cancelled).</summary>
    public void Release(TaskRecord task)
    {
        if (task.DueAt is null || !SetOf(task).Remove(task)) throw new InvalidOperationException($"task {task.Id} is not waiting");
        task.DueAt = null;
        var left = WaitingOf(task.UserId) - 1;
        if (left == 0) _waitingByUser.Remove(task.UserId);
        else _waitingByUser[task.UserId] = left;
        Version++;
    }

    /// <summary>A running task that the scheduler ends at <paramref name="deadline"/> unless its worker ends it first.</summary>
    public void Watch(TaskRecord task, DateTimeOffset deadline)
    {
        task.Deadline = deadline;
        _deadlines.Add(task);
        Version++;
    }

    /// <summary>The task left its node: no deadline. Nothing for a task that had none.</summary>
    public void Unwatch(TaskRecord task)
    {
        if (task.Deadline is null) return;
        _deadlines.Remove(task);
        task.Deadline = null;
        Version++;
    }

    /// <summary>
    /// Waiting tasks due at or before <paramref name="now"/>, earliest first (a copy: applying their events changes the set): the
    /// due ones of both sets merged in their common order, as if they were one set.
    /// </summary>
    public List<TaskRecord> DueBy(DateTimeOffset now)
    {
        var due = DueIn(_delayed, now);
        if (_retrying.Count == 0 || _retrying.Min!.DueAt > now) return due;
        var retries = DueIn(_retrying, now);
        if (due.Count == 0) return retries;
        var merged = new List<TaskRecord>(due.Count + retries.Count);
        int d = 0, r = 0;
        while (d < due.Count && r < retries.Count) merged.Add(DueOrder.Compare(due[d], retries[r]) <= 0 ? due[d++] : retries[r++]);
        merged.AddRange(due.Skip(d));
        merged.AddRange(retries.Skip(r));
        return merged;
    }

    private static List<TaskRecord> DueIn(SortedSet<TaskRecord> waiting, DateTimeOffset now)
    {
        var due = new List<TaskRecord>();
        foreach (var task in waiting)
        {
            if (task.DueAt > now) break;
            due.Add(task);
        }
        return due;
    }

    /// <summary>Running tasks past their deadline at <paramref name="now"/>, earliest first (a copy).</summary>
    public List<TaskRecord> OverdueBy(DateTimeOffset now)
    {
        var overdue = new List<TaskRecord>();
        foreach (var task in _deadlines)
        {
            if (task.Deadline > now) break;
            overdue.Add(task);
        }
        return overdue;
    }
}
