namespace Lighthouse.Scheduling;

/// <summary>
/// One user's queued tasks of one placement shape, in dispatch order: tasks back from a lost node
/// first (oldest first), then first in first out. An intrusive doubly linked list through the task
/// records: new tasks always have the highest sequence so they append at the tail, requeued ones are
/// placed among the requeued prefix, and any task is removed in O(1).
/// </summary>
internal sealed class ShapeQueue(PlacementShape shape)
{
    private TaskRecord? _lastRequeued;

    public PlacementShape Shape { get; } = shape;
    public int Count { get; private set; }
    public TaskRecord? Head { get; private set; }
    public TaskRecord? Tail { get; private set; }

    /// <summary>The queued tasks in dispatch order.</summary>
    public IEnumerable<TaskRecord> Tasks
    {
        get
        {
            for (var task = Head; task is not null; task = task.LinkNext) yield return task;
        }
    }

    /// <summary>Adds a task; true when it became the head.</summary>
    public bool Add(TaskRecord task)
    {
        if (task.LinkPrevious is not null || task.LinkNext is not null || ReferenceEquals(Head, task))
            throw new InvalidOperationException($"task {task.Id} is already queued");
        TaskRecord? after;
        if (task.Requeued)
        {
            // The requeued prefix is short; walk back from its end to keep it in sequence order.
            after = _lastRequeued;
            while (after is not null && after.Sequence > task.Sequence) after = after.LinkPrevious;
            if (ReferenceEquals(after, _lastRequeued)) _lastRequeued = task;
        }
        else
        {
            after = Tail;
        }
        InsertAfter(after, task);
        Count++;
        Shape.Queued++;
        return ReferenceEquals(Head, task);
    }

    /// <summary>
    /// Puts back a task that was this queue's head and was taken out (see <see cref="UserQueues.NextCandidates"/>):
    /// at the head again, so the queue is exactly as before it was taken.
    /// </summary>
    public void AddFirst(TaskRecord task)
    {
        if (task.LinkPrevious is not null || task.LinkNext is not null || ReferenceEquals(Head, task))
            throw new InvalidOperationException($"task {task.Id} is already queued");
        // A task that was the head and not requeued had no requeued task before it.
        if (!task.Requeued && _lastRequeued is not null)
            throw new InvalidOperationException($"task {task.Id} cannot go back to the head of its queue: requeued tasks are there");
        InsertAfter(null, task);
        if (task.Requeued && _lastRequeued is null) _lastRequeued = task;
        Count++;
        Shape.Queued++;
    }

    /// <summary>Removes a queued task; true when it was the head.</summary>
    public bool Remove(TaskRecord task)
    {
        if (task.LinkPrevious is null && !ReferenceEquals(Head, task))
            throw new InvalidOperationException($"task {task.Id} is not queued under its shape");
        var wasHead = ReferenceEquals(Head, task);
        if (ReferenceEquals(_lastRequeued, task)) _lastRequeued = task.LinkPrevious;
        if (task.LinkPrevious is { } previous) previous.LinkNext = task.LinkNext;
        else Head = task.LinkNext;
        if (task.LinkNext is { } next) next.LinkPrevious = task.LinkPrevious;
        else Tail = task.LinkPrevious;
        task.LinkPrevious = null;
        task.LinkNext = null;
        Count--;
        Shape.Queued--;
        return wasHead;
    }

    private void InsertAfter(TaskRecord? after, TaskRecord task)
    {
        var next = after is null ? Head : after.LinkNext;
        task.LinkPrevious = after;
        task.LinkNext = next;
        if (after is null) Head = task;
        else after.LinkNext = task;
        if (next is null) Tail = task;
        else next.LinkPrevious = task;
    }
}
