namespace Lighthouse.Scheduling;

/// <summary>
/// The times at which the scheduler must act on a task by itself: a waiting task's due time (a delay, a retry back-off),
/// and a running task's deadline (its timeout plus the grace its worker has to end it). Both in sorted sets, so the
/// earliest is known without a scan and the actor keeps one timer for all of them (<see cref="NextWake"/>). Waiting
/// tasks are in no user queue: dispatch never sees them, and they cost it nothing. Counted per user, since they count
/// against the queue caps like queued tasks.
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

    private readonly SortedSet<TaskRecord> _waiting = new(DueOrder);
    private readonly SortedSet<TaskRecord> _deadlines = new(DeadlineOrder);
    private readonly Dictionary<string, int> _waitingByUser = new(StringComparer.Ordinal);

    /// <summary>Grows whenever the earliest alarm may have changed: the actor re-arms its timer only then.</summary>
    public long Version { get; private set; }

    /// <summary>Tasks waiting for their time.</summary>
    public int Waiting => _waiting.Count;

    public int WaitingOf(string userId) => _waitingByUser.GetValueOrDefault(userId);

    public IEnumerable<TaskRecord> WaitingTasks => _waiting;

    /// <summary>The earliest due time or deadline; null when there is none.</summary>
    public DateTimeOffset? NextWake
    {
        get
        {
            DateTimeOffset? due = _waiting.Count > 0 ? _waiting.Min!.DueAt : null;
            DateTimeOffset? deadline = _deadlines.Count > 0 ? _deadlines.Min!.Deadline : null;
            if (due is null) return deadline;
            if (deadline is null) return due;
            return due < deadline ? due : deadline;
        }
    }

    /// <summary>The task waits until <paramref name="dueAt"/>.</summary>
    public void Wait(TaskRecord task, DateTimeOffset dueAt)
    {
        if (task.DueAt is not null) throw new InvalidOperationException($"task {task.Id} is already waiting");
        task.DueAt = dueAt;
        _waiting.Add(task);
        _waitingByUser[task.UserId] = WaitingOf(task.UserId) + 1;
        Version++;
    }

    /// <summary>The task waits no longer (it is due, or cancelled).</summary>
    public void Release(TaskRecord task)
    {
        if (task.DueAt is null || !_waiting.Remove(task)) throw new InvalidOperationException($"task {task.Id} is not waiting");
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

    /// <summary>Waiting tasks due at or before <paramref name="now"/>, earliest first (a copy: applying their events changes the set).</summary>
    public List<TaskRecord> DueBy(DateTimeOffset now)
    {
        var due = new List<TaskRecord>();
        foreach (var task in _waiting)
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
