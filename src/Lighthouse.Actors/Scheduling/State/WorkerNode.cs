using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>The scheduler's view of one registered worker node: what it declared, whether it is reachable, what runs on it.</summary>
internal sealed class WorkerNode(NodeRegistered registration)
{
    private readonly HashSet<string> _handles = new(registration.TaskNames, StringComparer.Ordinal);
    private readonly HashSet<TaskRecord> _running = new(ReferenceEqualityComparer.Instance);
    // Tasks running in each lane (a task's lane is the one its priority falls in); empty without lanes.
    private readonly int[] _laneRunning = new int[registration.Lanes?.Count ?? 0];

    public string Name { get; } = registration.Node;
    public IReadOnlyDictionary<string, double> Resources { get; } = registration.Resources;
    public IReadOnlyList<string> TaskNames { get; } = registration.TaskNames;
    public PriorityRange Priorities { get; } = registration.Priorities;
    public int Slots { get; } = registration.Slots;

    /// <summary>The node's slot groups by priority, or null when it has none (one implicit lane: <see cref="Slots"/> and <see cref="Priorities"/>).</summary>
    public IReadOnlyList<WorkerLane>? Lanes { get; } = registration.Lanes;

    public DateTimeOffset RegisteredAt { get; } = registration.At;
    public bool Reachable { get; set; } = true;

    /// <summary>Tasks started here and not yet finished or requeued.</summary>
    public IReadOnlySet<TaskRecord> Running => _running;

    public int FreeSlots => Math.Max(0, Slots - _running.Count);

    public bool Handles(string taskName) => _handles.Contains(taskName);

    /// <summary>Whether the node takes tasks of <paramref name="priority"/> at all: its range holds it, or one of its lanes does.</summary>
    public bool Accepts(int priority) => Lanes is { } lanes ? WorkerLanes.IndexOf(lanes, priority) >= 0 : Priorities.Contains(priority);

    /// <summary>Whether a task of <paramref name="priority"/> could start here now as far as slots go: a free slot, in its lane when the node has lanes.</summary>
    public bool HasFreeSlotFor(int priority)
    {
        if (FreeSlots <= 0) return false;
        if (Lanes is not { } lanes) return true;
        var lane = WorkerLanes.IndexOf(lanes, priority);
        return lane >= 0 && _laneRunning[lane] < lanes[lane].Slots;
    }

    /// <summary>Tasks running in each lane, in the lanes' order (empty without lanes).</summary>
    public IReadOnlyList<int> LaneRunning => _laneRunning;

    public void Start(TaskRecord task)
    {
        if (_running.Add(task)) CountLane(task, +1);
    }

    public void End(TaskRecord task)
    {
        if (_running.Remove(task)) CountLane(task, -1);
    }

    private void CountLane(TaskRecord task, int sign)
    {
        // A task outside every lane (adopted from an earlier registration) counts in the node's slots only.
        if (Lanes is { } lanes && WorkerLanes.IndexOf(lanes, task.Priority) is var lane and >= 0) _laneRunning[lane] += sign;
    }

    /// <summary>Whether a registration declares exactly what this node declared.</summary>
    public bool Matches(RegisterWorker registration) =>
        registration.Slots == Slots
        && registration.Priorities == Priorities
        && (registration.Lanes is null ? Lanes is null : Lanes is not null && registration.Lanes.SequenceEqual(Lanes))
        && _handles.SetEquals(registration.TaskNames)
        && registration.Resources.Count == Resources.Count
        && registration.Resources.All(pair => Resources.TryGetValue(pair.Key, out var quantity) && quantity.Equals(pair.Value));

    /// <summary>Declared resources minus the requirements of the tasks running here.</summary>
    public IReadOnlyDictionary<string, double> Free()
    {
        var free = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, quantity) in Resources) free[key] = quantity;
        foreach (var task in _running.OrderBy(t => t.Sequence))
        {
            foreach (var (key, quantity) in task.Shape.Requirements)
                free[key] = free.GetValueOrDefault(key) - quantity;
        }
        return free;
    }
}
