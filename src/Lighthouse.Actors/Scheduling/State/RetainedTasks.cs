namespace Lighthouse.Scheduling;

/// <summary>
/// The finished tasks the scheduler still keeps, soonest to be forgotten first, with their count and size, so that
/// retention can be bounded by count and by bytes as well as by time (<c>retained-tasks-max</c>, <c>retained-bytes-max</c>).
/// <para>
/// Two intrusive lists through the task records (no allocation, O(1) to add, remove or evict): tasks no client read yet,
/// which expire <c>result-ttl</c> after they finished, and collected ones, which expire <c>collected-result-retention</c>
/// after the read. Each list is appended to as time goes, with one retention period, so it is in expiry order; the head
/// soonest to expire is the sooner of the two heads. A sorted set did the same in O(log n) and ~50 bytes per task.
/// Should a list ever be out of order (the retention setting was lowered over a restart, or the scheduler moved to a
/// host whose clock is behind), a task behind a later one is forgotten late, never early: every read checks its expiry.
/// </para>
/// </summary>
internal sealed class RetainedTasks
{
    private readonly Chain _uncollected = new();
    private readonly Chain _collected = new();

    public int Count => _uncollected.Count + _collected.Count;

    /// <summary>What the kept tasks hold in text: payload, result and error, at 2 bytes per character (.NET strings).</summary>
    public long Bytes { get; private set; }

    /// <summary>The kept tasks, soonest to be forgotten first.</summary>
    public IEnumerable<TaskRecord> InExpiryOrder
    {
        get
        {
            var a = _uncollected.Head;
            var b = _collected.Head;
            while (a is not null || b is not null)
            {
                if (b is null || (a is not null && Sooner(a, b)))
                {
                    yield return a!;
                    a = a!.LinkNext;
                }
                else
                {
                    yield return b;
                    b = b.LinkNext;
                }
            }
        }
    }

    /// <summary>The task to be forgotten next, or null when none is kept.</summary>
    public TaskRecord? Soonest
    {
        get
        {
            var a = _uncollected.Head;
            var b = _collected.Head;
            if (a is null) return b;
            if (b is null) return a;
            return Sooner(a, b) ? a : b;
        }
    }

    /// <summary>The size a finished task counts for in <see cref="Bytes"/>.</summary>
    public static long SizeOf(TaskRecord task) =>
        2L * (task.Payload.Length + (task.Result?.Length ?? 0) + (task.Error?.Length ?? 0));

    /// <summary>Keeps a finished task until <paramref name="expiresAt"/>; at the tail of the collected list when it was read.</summary>
    public void Add(TaskRecord task, DateTimeOffset expiresAt)
    {
        task.ExpiresAt = expiresAt;
        (task.CollectedAt is null ? _uncollected : _collected).Append(task);
        Bytes += SizeOf(task);
    }

    public void Remove(TaskRecord task)
    {
        (task.CollectedAt is null ? _uncollected : _collected).Unlink(task);
        Bytes -= SizeOf(task);
    }

    private static bool Sooner(TaskRecord a, TaskRecord b)
    {
        var c = a.ExpiresAt.CompareTo(b.ExpiresAt);
        return c != 0 ? c < 0 : a.Sequence < b.Sequence;
    }

    /// <summary>A doubly linked list through <see cref="TaskRecord.LinkPrevious"/> and <see cref="TaskRecord.LinkNext"/>.</summary>
    private sealed class Chain
    {
        public TaskRecord? Head { get; private set; }
        private TaskRecord? _tail;

        public int Count { get; private set; }

        public void Append(TaskRecord task)
        {
            if (task.LinkPrevious is not null || task.LinkNext is not null || ReferenceEquals(Head, task))
                throw new InvalidOperationException($"task {task.Id} is already in a list");
            task.LinkPrevious = _tail;
            if (_tail is null) Head = task;
            else _tail.LinkNext = task;
            _tail = task;
            Count++;
        }

        public void Unlink(TaskRecord task)
        {
            if (task.LinkPrevious is null && !ReferenceEquals(Head, task))
                throw new InvalidOperationException($"task {task.Id} is not retained");
            if (task.LinkPrevious is { } previous) previous.LinkNext = task.LinkNext;
            else Head = task.LinkNext;
            if (task.LinkNext is { } next) next.LinkPrevious = task.LinkPrevious;
            else _tail = task.LinkPrevious;
            task.LinkPrevious = null;
            task.LinkNext = null;
            Count--;
        }
    }
}
