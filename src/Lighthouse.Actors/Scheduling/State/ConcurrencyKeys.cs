namespace Lighthouse.Scheduling;

/// <summary>
/// Concurrency keys (docs/task-policies.md): at most <c>limit(KEY)</c> tasks with a key hold one of its slots at once. A
/// task takes a slot when it would join its user's queue and keeps it while queued and running, so a key's holders are
/// its running tasks plus its queued ones ("reserved"): dispatch may start any queued task without a look at keys, and a
/// key is never over its limit by a start. A task finding no free slot waits in the key's first-in-first-out list, in no
/// user queue (dispatch never sees it); each freed slot admits the list's head. Only keys configured, given a runtime
/// limit, or used by a live task have an entry: an idle key without a limit is forgotten. Counted per user, since waiting
/// tasks count against the queue caps like queued ones.
/// </summary>
internal sealed class ConcurrencyKeys
{
    private readonly Dictionary<string, ConcurrencyKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waitingByUser = new(StringComparer.Ordinal);
    // Every key's waiters oldest (lowest sequence) first, for the monitor's list: O(log n) per wait and leave, no walk over keys.
    private readonly SortedSet<TaskRecord> _waitingInOrder = new(Comparer<TaskRecord>.Create(static (a, b) => a.Sequence.CompareTo(b.Sequence)));

    public ConcurrencyKeys(IReadOnlyDictionary<string, int> configured, int? defaultLimit)
    {
        DefaultLimit = defaultLimit;
        foreach (var (key, limit) in configured) _keys.Add(key, new ConcurrencyKey(key, defaultLimit) { Configured = limit });
    }

    /// <summary>The limit of a key with neither a configured nor a runtime limit; null: unlimited.</summary>
    public int? DefaultLimit { get; }

    /// <summary>Keys with an entry (configured, with a runtime limit, or in use).</summary>
    public int Count => _keys.Count;

    /// <summary>Tasks waiting for a slot.</summary>
    public int Waiting => _waitingInOrder.Count;

    /// <summary>The tasks waiting for a slot of any key, oldest (lowest sequence) first.</summary>
    public IEnumerable<TaskRecord> OldestWaiting => _waitingInOrder;

    /// <summary>How many times a task had to wait for a slot (for /metrics; counted again by a replay).</summary>
    public long Waits { get; private set; }

    public int WaitingOf(string userId) => _waitingByUser.GetValueOrDefault(userId);

    public IEnumerable<ConcurrencyKey> All => _keys.Values;

    public ConcurrencyKey? Find(string key) => _keys.GetValueOrDefault(key);

    public bool Knows(string key) => _keys.ContainsKey(key);

    private ConcurrencyKey Entry(string key)
    {
        if (!_keys.TryGetValue(key, out var entry)) _keys.Add(key, entry = new ConcurrencyKey(key, DefaultLimit));
        return entry;
    }

    /// <summary>True when the task now holds a slot of its key; false when it waits at the tail of the key's list.</summary>
    public bool TryTake(TaskRecord task)
    {
        var key = Entry(task.ConcurrencyKey!);
        if (key.Waiting.Count == 0 && key.HasRoom)
        {
            Hold(key, task);
            return true;
        }
        Wait(key, task, first: false);
        Waits++;
        return false;
    }

    /// <summary>The task holds a slot whatever the limit: a restored holder, or a start replayed under a lower configured limit.</summary>
    public void Hold(TaskRecord task)
    {
        var key = Entry(task.ConcurrencyKey!);
        if (task.WaitsForKey) Leave(task);
        Hold(key, task);
    }

    private static void Hold(ConcurrencyKey key, TaskRecord task)
    {
        if (!key.Holders.Add(task)) throw new InvalidOperationException($"task {task.Id} already holds a slot of concurrency key {key.Name}");
        task.HoldsKeySlot = true;
        if (task.State == Protocol.TaskState.Running) key.Running++;
    }

    /// <summary>A restored waiter, at the tail of its key's list (restored in list order).</summary>
    public void RestoreWaiter(TaskRecord task) => Wait(Entry(task.ConcurrencyKey!), task, first: false);

    private void Wait(ConcurrencyKey key, TaskRecord task, bool first)
    {
        if (task.WaitsForKey) throw new InvalidOperationException($"task {task.Id} already waits for concurrency key {key.Name}");
        task.KeyWait = first ? key.Waiting.AddFirst(task) : key.Waiting.AddLast(task);
        _waitingInOrder.Add(task);
        _waitingByUser[task.UserId] = WaitingOf(task.UserId) + 1;
    }

    /// <summary>A waiting task leaves its key's list without a slot (it ended, or it is admitted).</summary>
    public void Leave(TaskRecord task)
    {
        var node = task.KeyWait ?? throw new InvalidOperationException($"task {task.Id} does not wait for its concurrency key");
        node.List!.Remove(node);
        task.KeyWait = null;
        _waitingInOrder.Remove(task);
        var left = WaitingOf(task.UserId) - 1;
        if (left == 0) _waitingByUser.Remove(task.UserId);
        else _waitingByUser[task.UserId] = left;
    }

    /// <summary>A holder started running.</summary>
    public void Started(TaskRecord task) => Require(task).Running++;

    /// <summary>A holder stopped running (it keeps its slot when re-queued; <see cref="Release"/> gives it up).</summary>
    public void StoppedRunning(TaskRecord task) => Require(task).Running--;

    /// <summary>A holder gives its slot up (it ended, or waits to retry); the caller settles the key (<see cref="Admit"/>).</summary>
    public ConcurrencyKey Release(TaskRecord task)
    {
        var key = Require(task);
        key.Holders.Remove(task);
        task.HoldsKeySlot = false;
        return key;
    }

    private ConcurrencyKey Require(TaskRecord task) =>
        task.HoldsKeySlot && _keys.TryGetValue(task.ConcurrencyKey!, out var key)
            ? key
            : throw new InvalidOperationException($"task {task.Id} holds no slot of a concurrency key");

    /// <summary>The waiters that now get a slot, first in first out, while the key has room (each holds its slot; the caller queues it).</summary>
    public List<TaskRecord> Admit(ConcurrencyKey key)
    {
        var admitted = new List<TaskRecord>();
        while (key.Waiting.First is { } head && key.HasRoom)
        {
            var task = head.Value;
            Leave(task);
            Hold(key, task);
            admitted.Add(task);
        }
        return admitted;
    }

    /// <summary>
    /// A key over its limit (lowered) with holders not running yet: the ones to give their slots back, latest submitted
    /// first, as many as needed and no more. Running holders keep running: a lowered limit stops starts, not tasks.
    /// </summary>
    public List<TaskRecord> Excess(ConcurrencyKey key)
    {
        if (key.Limit is not { } limit || key.Holders.Count <= limit) return [];
        return key.Holders
            .Where(static t => t.State == Protocol.TaskState.Queued)
            .OrderByDescending(static t => t.Sequence)
            .Take(key.Holders.Count - limit)
            .ToList();
    }

    /// <summary>A queued holder (taken out of its user's queue by the caller) gives its slot back and waits at the head of the list.</summary>
    public void ReturnToWait(TaskRecord task)
    {
        var key = Require(task);
        key.Holders.Remove(task);
        task.HoldsKeySlot = false;
        Wait(key, task, first: true);
    }

    /// <summary>Sets (a number) or removes (null) a key's runtime limit; the caller settles the key.</summary>
    public ConcurrencyKey SetRuntimeLimit(string key, int? limit)
    {
        var entry = Entry(key);
        entry.RuntimeLimit = limit;
        return entry;
    }

    /// <summary>Forgets a key that has nothing to remember: no configured or runtime limit, no holder, no waiter.</summary>
    public void ForgetIfIdle(ConcurrencyKey key)
    {
        if (key.Configured is null && key.RuntimeLimit is null && key.Holders.Count == 0 && key.Waiting.Count == 0) _keys.Remove(key.Name);
    }
}

/// <summary>One concurrency key: its limits, the tasks holding its slots (queued or running) and those waiting for one.</summary>
internal sealed class ConcurrencyKey(string name, int? defaultLimit)
{
    public string Name { get; } = name;

    /// <summary>From <c>lighthouse.scheduler.concurrency-limits</c>; null when not configured.</summary>
    public int? Configured { get; init; }

    /// <summary>Set at runtime by an admin (journaled); wins over the configured limit. Null when none.</summary>
    public int? RuntimeLimit { get; set; }

    /// <summary>The limit in force; null: unlimited.</summary>
    public int? Limit => RuntimeLimit ?? Configured ?? defaultLimit;

    public bool HasRoom => Limit is not { } limit || Holders.Count < limit;

    public HashSet<TaskRecord> Holders { get; } = [];

    /// <summary>Holders that are running (the others are queued in their users' queues).</summary>
    public int Running { get; set; }

    public LinkedList<TaskRecord> Waiting { get; } = new();
}
