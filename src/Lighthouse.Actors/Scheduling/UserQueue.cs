namespace Lighthouse.Scheduling;

/// <summary>
/// One user's queued tasks, grouped by placement shape, and the user's running count. The shape queues
/// are kept sorted by their first task (higher priority first, then requeued first, then oldest), so
/// the user's next task is the first task of the first shape that is not blocked.
/// <see cref="Running"/> and <see cref="WaitingSince"/> are the key <see cref="UserQueues"/> sorts users
/// by; only it changes them, while the user is out of its set.
/// </summary>
internal sealed class UserQueue(string userId)
{
    /// <summary>Higher priority first, then the shapes' first tasks in dispatch order, then shape id.</summary>
    private static readonly IComparer<ShapeQueue> HeadOrder = Comparer<ShapeQueue>.Create(static (a, b) =>
    {
        var x = a.Head!;
        var y = b.Head!;
        var c = y.Priority.CompareTo(x.Priority);
        if (c != 0) return c;
        c = ShapeQueue.DispatchOrder.Compare(x, y);
        return c != 0 ? c : a.Shape.Id.CompareTo(b.Shape.Id);
    });

    private readonly Dictionary<PlacementShape, ShapeQueue> _byShape = new(ReferenceEqualityComparer.Instance);
    private readonly SortedSet<ShapeQueue> _byHead = new(HeadOrder);
    private readonly Dictionary<int, int> _queuedByPriority = new();

    public string UserId { get; } = userId;
    public int Queued { get; private set; }
    public int Running { get; set; }

    /// <summary>When the user's current head task became its head (a stamp from <see cref="UserQueues"/>).</summary>
    public long WaitingSince { get; set; }

    /// <summary>Whether the user is in <see cref="UserQueues"/>' ready set.</summary>
    public bool InReady { get; set; }

    public IReadOnlyDictionary<int, int> QueuedByPriority => _queuedByPriority;

    /// <summary>The user's next task whether or not its shape is blocked.</summary>
    public TaskRecord? Head => _byHead.Count == 0 ? null : _byHead.Min!.Head;

    /// <summary>The shape queues in the order their first tasks would be dispatched.</summary>
    public IEnumerable<ShapeQueue> ShapesInOrder => _byHead;

    /// <summary>Every queued task of the user (shape by shape).</summary>
    public IEnumerable<TaskRecord> QueuedTasks => _byShape.Values.SelectMany(queue => queue.Tasks);

    public ShapeQueue? FirstShape => _byHead.Count == 0 ? null : _byHead.Min;

    public void Enqueue(TaskRecord task)
    {
        if (!_byShape.TryGetValue(task.Shape, out var queue))
        {
            queue = new ShapeQueue(task.Shape);
            _byShape.Add(task.Shape, queue);
            queue.Add(task);
            queue.Head = task;
            _byHead.Add(queue);
        }
        else
        {
            queue.Add(task);
            RefreshHead(queue);
        }
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
    }

    public void Remove(TaskRecord task)
    {
        if (!_byShape.TryGetValue(task.Shape, out var queue))
            throw new InvalidOperationException($"task {task.Id} is not in user {UserId}'s queue");
        queue.Remove(task);
        if (queue.Count == 0)
        {
            _byHead.Remove(queue);
            _byShape.Remove(task.Shape);
        }
        else
        {
            RefreshHead(queue);
        }
        Queued--;
        var left = _queuedByPriority[task.Priority] - 1;
        if (left == 0) _queuedByPriority.Remove(task.Priority);
        else _queuedByPriority[task.Priority] = left;
    }

    private void RefreshHead(ShapeQueue queue)
    {
        var first = queue.First;
        if (ReferenceEquals(first, queue.Head)) return;
        _byHead.Remove(queue);
        queue.Head = first;
        _byHead.Add(queue);
    }
}
