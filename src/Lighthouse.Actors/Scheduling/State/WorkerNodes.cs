namespace Lighthouse.Scheduling;

/// <summary>
/// The registered worker nodes and the number of free slots on reachable ones. Every task takes one
/// slot, so when <see cref="FreeSlots"/> is zero no task can start and dispatch does not even look.
/// </summary>
internal sealed class WorkerNodes
{
    private readonly Dictionary<string, WorkerNode> _nodes = new(StringComparer.Ordinal);

    public int Count => _nodes.Count;
    public int ReachableCount { get; private set; }

    /// <summary>Free slots summed over reachable nodes.</summary>
    public int FreeSlots { get; private set; }

    /// <summary>Slots summed over reachable nodes.</summary>
    public int ReachableSlots { get; private set; }

    public IEnumerable<WorkerNode> All => _nodes.Values;

    public WorkerNode? Find(string name) => _nodes.GetValueOrDefault(name);

    public bool Contains(string name) => _nodes.ContainsKey(name);

    public void Add(NodeRegistered registration)
    {
        var node = new WorkerNode(registration);
        _nodes.Add(node.Name, node);
        Tally(node, +1);
    }

    public void Remove(string name)
    {
        var node = Get(name);
        if (node.Running.Count > 0)
            throw new InvalidOperationException($"node {name} still runs {node.Running.Count} tasks");
        Tally(node, -1);
        _nodes.Remove(name);
    }

    public void SetReachable(string name, bool reachable)
    {
        var node = Get(name);
        if (node.Reachable == reachable) return;
        Tally(node, -1);
        node.Reachable = reachable;
        Tally(node, +1);
    }

    public void Started(string name, TaskRecord task)
    {
        var node = Get(name);
        Tally(node, -1);
        node.Start(task);
        Tally(node, +1);
    }

    public void Ended(string name, TaskRecord task)
    {
        var node = Get(name);
        Tally(node, -1);
        node.End(task);
        Tally(node, +1);
    }

    /// <summary>A reachable node handles the task name.</summary>
    public bool AnyReachableHandles(string taskName) => _nodes.Values.Any(n => n.Reachable && n.Handles(taskName));

    private WorkerNode Get(string name) =>
        _nodes.GetValueOrDefault(name) ?? throw new InvalidOperationException($"unknown worker node {name}");

    private void Tally(WorkerNode node, int sign)
    {
        if (!node.Reachable) return;
        ReachableCount += sign;
        ReachableSlots += sign * node.Slots;
        FreeSlots += sign * node.FreeSlots;
    }
}
