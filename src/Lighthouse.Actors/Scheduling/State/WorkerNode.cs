using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>The scheduler's view of one registered worker node: what it declared, whether it is reachable, what runs on it.</summary>
internal sealed class WorkerNode(NodeRegistered registration)
{
    private readonly HashSet<string> _handles = new(registration.TaskNames, StringComparer.Ordinal);

    public string Name { get; } = registration.Node;
    public IReadOnlyDictionary<string, double> Resources { get; } = registration.Resources;
    public IReadOnlyList<string> TaskNames { get; } = registration.TaskNames;
    public PriorityRange Priorities { get; } = registration.Priorities;
    public int Slots { get; } = registration.Slots;
    public DateTimeOffset RegisteredAt { get; } = registration.At;
    public bool Reachable { get; set; } = true;

    /// <summary>Tasks started here and not yet finished or requeued.</summary>
    public HashSet<TaskRecord> Running { get; } = new(ReferenceEqualityComparer.Instance);

    public int FreeSlots => Math.Max(0, Slots - Running.Count);

    public bool Handles(string taskName) => _handles.Contains(taskName);

    /// <summary>Whether a registration declares exactly what this node declared.</summary>
    public bool Matches(RegisterWorker registration) =>
        registration.Slots == Slots
        && registration.Priorities == Priorities
        && _handles.SetEquals(registration.TaskNames)
        && registration.Resources.Count == Resources.Count
        && registration.Resources.All(pair => Resources.TryGetValue(pair.Key, out var quantity) && quantity.Equals(pair.Value));

    /// <summary>Declared resources minus the requirements of the tasks running here.</summary>
    public IReadOnlyDictionary<string, double> Free()
    {
        var free = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, quantity) in Resources) free[key] = quantity;
        foreach (var task in Running.OrderBy(t => t.Sequence))
        {
            foreach (var (key, quantity) in task.Shape.Requirements)
                free[key] = free.GetValueOrDefault(key) - quantity;
        }
        return free;
    }
}
