namespace Lighthouse.Scheduling;

/// <summary>
/// The registry of live placement shapes and the two epochs that say when an engine "no" goes stale.
/// <see cref="CapacityEpoch"/> grows whenever room may have appeared on a node (a task ended, or a
/// task with a negative requirement started); <see cref="TopologyEpoch"/> grows whenever a node was
/// added or became reachable. A shape refused for lack of capacity is skipped until either grows; a
/// shape refused for reasons capacity cannot change (a missing key, a priority range, a ward, an
/// unreachable node) is skipped until the topology changes.
/// </summary>
internal sealed class PlacementShapes
{
    private readonly Dictionary<string, PlacementShape> _byKey = new(StringComparer.Ordinal);
    private int _nextId;

    public long CapacityEpoch { get; private set; }
    public long TopologyEpoch { get; private set; }

    /// <summary>The live shape for these placement terms, created on first use; counts one more live task.</summary>
    public PlacementShape Acquire(string taskName, int priority, IReadOnlyDictionary<string, double> requirements, IReadOnlySet<string> immunities)
    {
        var key = PlacementShape.KeyOf(taskName, priority, requirements, immunities);
        if (!_byKey.TryGetValue(key, out var shape))
        {
            shape = new PlacementShape(_nextId++, key, taskName, priority, requirements, immunities);
            _byKey.Add(key, shape);
        }
        shape.LiveTasks++;
        return shape;
    }

    /// <summary>One live task of the shape finished; the shape leaves the registry with its last task.</summary>
    public void Release(PlacementShape shape)
    {
        if (--shape.LiveTasks == 0) _byKey.Remove(shape.Key);
    }

    /// <summary>Whether <paramref name="shape"/> is the live shape of its key (finished tasks may hold an older, dropped one).</summary>
    public bool IsRegistered(PlacementShape shape) => _byKey.TryGetValue(shape.Key, out var live) && ReferenceEquals(live, shape);

    /// <summary>The id the next new shape gets.</summary>
    public int NextId => _nextId;

    /// <summary>
    /// Recreates a shape from a snapshot with its original id; a <paramref name="registered"/> one becomes the
    /// live shape of its key (its tasks count themselves in as they are restored).
    /// </summary>
    public PlacementShape Restore(int id, string taskName, int priority, IReadOnlyDictionary<string, double> requirements, IReadOnlySet<string> immunities, bool registered)
    {
        var key = PlacementShape.KeyOf(taskName, priority, requirements, immunities);
        var shape = new PlacementShape(id, key, taskName, priority, requirements, immunities);
        if (registered && !_byKey.TryAdd(key, shape))
            throw new InvalidOperationException($"shapes {_byKey[key].Id} and {id} are both live for task \"{taskName}\" at priority {priority}");
        return shape;
    }

    /// <summary>Sets the id counter and the epochs as a snapshot recorded them.</summary>
    public void RestoreCounters(int nextId, long capacityEpoch, long topologyEpoch)
    {
        _nextId = nextId;
        CapacityEpoch = capacityEpoch;
        TopologyEpoch = topologyEpoch;
    }

    public void CapacityGrew() => CapacityEpoch++;

    public void TopologyChanged() => TopologyEpoch++;

    /// <summary>Remembers the engine's "no", given at the epochs the placement was asked at (a stale answer blocks nothing).</summary>
    public static void MarkUnplaced(PlacementShape shape, string reason, bool waitsForCapacity, long capacityEpoch, long topologyEpoch)
    {
        shape.UnplacedReason = reason;
        shape.WaitsForCapacity = waitsForCapacity;
        shape.UnplacedCapacityEpoch = capacityEpoch;
        shape.UnplacedTopologyEpoch = topologyEpoch;
    }

    /// <summary>True while the shape's last "no" still holds: nothing that could change the answer happened since.</summary>
    public bool IsBlocked(PlacementShape shape) =>
        shape.UnplacedTopologyEpoch == TopologyEpoch
        && (!shape.WaitsForCapacity || shape.UnplacedCapacityEpoch == CapacityEpoch);
}
