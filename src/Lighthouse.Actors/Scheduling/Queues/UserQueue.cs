namespace Lighthouse.Scheduling;

/// <summary>
/// One user's queued tasks, one <see cref="ShapeQueue"/> per placement shape, the shape queues kept in
/// the order of their first tasks (higher priority first, then requeued first, then oldest), and the
/// user's running count. <see cref="Running"/>, <see cref="Weight"/> and <see cref="WaitingSince"/> are the
/// user's key in the shapes' waitlists; only <see cref="UserQueues"/> changes them, while the user is out of
/// those lists. A user at its quota (<see cref="AtQuota"/>) is in none of them.
/// </summary>
internal sealed class UserQueue(string userId)
{
    private readonly Dictionary<PlacementShape, ShapeQueue> _byShape = new(ReferenceEqualityComparer.Instance);
    private readonly List<ShapeQueue> _inOrder = [];
    private readonly Dictionary<int, int> _queuedByPriority = new();

    public string UserId { get; } = userId;
    public int Queued { get; private set; }
    public int Running { get; set; }

    /// <summary>The user's share in hundredths (1.00 is 100): it may run <see cref="Weight"/>/100 tasks for every one of a user of weight 1.</summary>
    public int Weight { get; set; } = UserLimits.DefaultWeight;

    /// <summary>The most tasks the user may run at once; 0 when unlimited.</summary>
    public int MaxRunning { get; set; }

    /// <summary>Out of every waitlist, because it runs as many tasks as its quota allows (kept by <see cref="UserQueues"/>).</summary>
    public bool AtQuota { get; set; }

    /// <summary>Whether <see cref="Running"/> reached <see cref="MaxRunning"/>.</summary>
    public bool ReachedQuota => MaxRunning > 0 && Running >= MaxRunning;

    /// <summary>When the user's head task became its head (a stamp from <see cref="UserQueues"/>); smaller waited longer.</summary>
    public long WaitingSince { get; set; }

    public IReadOnlyDictionary<int, int> QueuedByPriority => _queuedByPriority;

    /// <summary>The shapes the user has queued tasks of.</summary>
    public IEnumerable<PlacementShape> Shapes => _byShape.Keys;

    /// <summary>The shape queues in the order their first tasks would be dispatched.</summary>
    public IReadOnlyList<ShapeQueue> ShapesInOrder => _inOrder;

    /// <summary>Every queued task of the user (shape by shape).</summary>
    public IEnumerable<TaskRecord> QueuedTasks => _inOrder.SelectMany(queue => queue.Tasks);

    /// <summary>Queues a task; true when the user had no queued task of its shape before.</summary>
    public bool Enqueue(TaskRecord task)
    {
        var isNewShape = !_byShape.TryGetValue(task.Shape, out var queue);
        if (isNewShape)
        {
            queue = new ShapeQueue(task.Shape);
            _byShape.Add(task.Shape, queue);
            queue.Add(task);
            Place(queue);
        }
        else if (queue!.Add(task))
        {
            _inOrder.Remove(queue);
            Place(queue);
        }
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
        return isNewShape;
    }

    /// <summary>Puts back a task that was the head of its shape queue and was taken out; true when the user had no queued task of its shape.</summary>
    public bool EnqueueFirst(TaskRecord task)
    {
        var isNewShape = !_byShape.TryGetValue(task.Shape, out var queue);
        if (isNewShape)
        {
            queue = new ShapeQueue(task.Shape);
            _byShape.Add(task.Shape, queue);
        }
        else
        {
            _inOrder.Remove(queue!);
        }
        queue!.AddFirst(task);
        Place(queue);
        Queued++;
        _queuedByPriority[task.Priority] = _queuedByPriority.GetValueOrDefault(task.Priority) + 1;
        return isNewShape;
    }

    /// <summary>Takes a queued task out; true when it was the user's last task of its shape.</summary>
    public bool Remove(TaskRecord task)
    {
        if (!_byShape.TryGetValue(task.Shape, out var queue))
            throw new InvalidOperationException($"task {task.Id} is not in user {UserId}'s queue");
        var wasHead = queue.Remove(task);
        var emptied = queue.Count == 0;
        if (emptied) _byShape.Remove(task.Shape);
        if (wasHead)
        {
            _inOrder.Remove(queue);
            if (!emptied) Place(queue);
        }
        Queued--;
        var left = _queuedByPriority[task.Priority] - 1;
        if (left == 0) _queuedByPriority.Remove(task.Priority);
        else _queuedByPriority[task.Priority] = left;
        return emptied;
    }

    /// <summary>Inserts a shape queue by its head: higher priority, then requeued, then older, then shape id.</summary>
    private void Place(ShapeQueue queue)
    {
        var index = _inOrder.BinarySearch(queue, HeadOrder.Instance);
        _inOrder.Insert(index < 0 ? ~index : index, queue);
    }

    private sealed class HeadOrder : IComparer<ShapeQueue>
    {
        public static readonly HeadOrder Instance = new();

        public int Compare(ShapeQueue? a, ShapeQueue? b)
        {
            var x = a!.Head!;
            var y = b!.Head!;
            var c = y.Priority.CompareTo(x.Priority);
            if (c != 0) return c;
            if (x.Requeued != y.Requeued) return x.Requeued ? -1 : 1;
            c = x.Sequence.CompareTo(y.Sequence);
            return c != 0 ? c : a.Shape.Id.CompareTo(b.Shape.Id);
        }
    }
}
