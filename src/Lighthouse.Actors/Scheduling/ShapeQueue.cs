namespace Lighthouse.Scheduling;

/// <summary>
/// One user's queued tasks of one placement shape, in dispatch order: tasks back from a lost node
/// first, then first in first out. <see cref="Head"/> is a cached copy of the first task that the
/// owning <see cref="UserQueue"/> sorts by; only the owner refreshes it, while the queue is out of its set.
/// </summary>
internal sealed class ShapeQueue(PlacementShape shape)
{
    /// <summary>Requeued tasks before others, then by submission sequence.</summary>
    public static readonly IComparer<TaskRecord> DispatchOrder = Comparer<TaskRecord>.Create(static (a, b) =>
    {
        if (a.Requeued != b.Requeued) return a.Requeued ? -1 : 1;
        return a.Sequence.CompareTo(b.Sequence);
    });

    private readonly SortedSet<TaskRecord> _tasks = new(DispatchOrder);

    public PlacementShape Shape { get; } = shape;
    public int Count => _tasks.Count;

    /// <summary>The first task as last refreshed by the owner.</summary>
    public TaskRecord? Head { get; set; }

    /// <summary>The queued tasks in dispatch order.</summary>
    public IEnumerable<TaskRecord> Tasks => _tasks;

    /// <summary>The first task now.</summary>
    public TaskRecord? First => _tasks.Count == 0 ? null : _tasks.Min;

    public void Add(TaskRecord task)
    {
        if (!_tasks.Add(task)) throw new InvalidOperationException($"task {task.Id} is already queued");
    }

    public void Remove(TaskRecord task)
    {
        if (!_tasks.Remove(task)) throw new InvalidOperationException($"task {task.Id} is not queued under its shape");
    }
}
