namespace Lighthouse.Scheduling;

/// <summary>
/// Tasks waiting for their parents (<c>after</c>, docs/task-policies.md), indexed by parent id: a parent's end touches only
/// its own children, and dispatch never sees a waiting task (it is in no user queue), so dependencies cost dispatch nothing.
/// A parent is in the index only while it has not ended; its children are released (or cancelled) when it does. Counted per
/// user, since waiting tasks count against the queue caps like queued ones.
/// </summary>
internal sealed class TaskDependencies
{
    private static readonly IComparer<TaskRecord> SequenceOrder = Comparer<TaskRecord>.Create(static (a, b) => a.Sequence.CompareTo(b.Sequence));

    private readonly Dictionary<string, HashSet<TaskRecord>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waitingByUser = new(StringComparer.Ordinal);
    // The same tasks oldest first, for the monitor's list: O(log n) per wait and release, never a walk over the parents.
    private readonly SortedSet<TaskRecord> _inOrder = new(SequenceOrder);

    /// <summary>Tasks waiting for a parent.</summary>
    public int Waiting => _inOrder.Count;

    /// <summary>The waiting tasks, oldest (lowest sequence) first.</summary>
    public IEnumerable<TaskRecord> Oldest => _inOrder;

    public int WaitingOf(string userId) => _waitingByUser.GetValueOrDefault(userId);

    /// <summary>Parents that have children waiting for them.</summary>
    public int Parents => _children.Count;

    /// <summary>
    /// The oldest <paramref name="limit"/> tasks waiting for <paramref name="parentId"/>, in sequence order; empty when none.
    /// Bounded because status shows them and a parent may have any number of children: O(children × log limit).
    /// </summary>
    public List<TaskRecord> ChildrenOf(string parentId, int limit)
    {
        if (!_children.TryGetValue(parentId, out var children)) return [];
        List<TaskRecord> list;
        if (children.Count <= limit) list = children.ToList();
        else
        {
            // A max-heap of the youngest kept so far: a child older than its top replaces it.
            var oldest = new PriorityQueue<TaskRecord, long>(limit + 1, Comparer<long>.Create(static (a, b) => b.CompareTo(a)));
            foreach (var child in children)
            {
                if (oldest.Count < limit) oldest.Enqueue(child, child.Sequence);
                else if (child.Sequence < oldest.Peek().Sequence) oldest.EnqueueDequeue(child, child.Sequence);
            }
            list = new List<TaskRecord>(limit);
            while (oldest.TryDequeue(out var child, out _)) list.Add(child);
        }
        list.Sort(SequenceOrder);
        return list;
    }

    /// <summary>The task waits for <paramref name="pendingParents"/> (each one not ended).</summary>
    public void Wait(TaskRecord child, IReadOnlyList<string> pendingParents)
    {
        if (child.WaitsForParents) throw new InvalidOperationException($"task {child.Id} already waits for its parents");
        if (pendingParents.Count == 0) throw new InvalidOperationException($"task {child.Id} has no parent to wait for");
        foreach (var parent in pendingParents)
        {
            if (!_children.TryGetValue(parent, out var children)) _children.Add(parent, children = []);
            children.Add(child);
        }
        child.PendingParents = pendingParents.Count;
        _inOrder.Add(child);
        _waitingByUser[child.UserId] = WaitingOf(child.UserId) + 1;
    }

    /// <summary>The task waits no longer (released, or ended): out of the lists of the parents it still waited for.</summary>
    public void Release(TaskRecord child)
    {
        if (!child.WaitsForParents) throw new InvalidOperationException($"task {child.Id} does not wait for its parents");
        foreach (var parent in child.After ?? [])
        {
            if (_children.TryGetValue(parent, out var children) && children.Remove(child) && children.Count == 0) _children.Remove(parent);
        }
        child.PendingParents = 0;
        child.DependencyProblem = null;
        _inOrder.Remove(child);
        var left = WaitingOf(child.UserId) - 1;
        if (left == 0) _waitingByUser.Remove(child.UserId);
        else _waitingByUser[child.UserId] = left;
    }

    /// <summary>The parent ended: its children, in sequence order, leave its list (each still counts as waiting until released).</summary>
    public List<TaskRecord> ParentEnded(string parentId)
    {
        if (!_children.Remove(parentId, out var children)) return [];
        var list = children.ToList();
        list.Sort(SequenceOrder);
        return list;
    }
}
