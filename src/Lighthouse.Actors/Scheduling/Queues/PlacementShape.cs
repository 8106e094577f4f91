using System.Globalization;
using System.Text;

namespace Lighthouse.Scheduling;

/// <summary>
/// What the placement engine sees of a task apart from its name: task name, priority, requirements
/// and immunities. Tasks of one shape fit exactly the same nodes (aversion groups only order the nodes
/// that fit, they never exclude one), so when one of them fits nowhere, all of them fit nowhere and
/// the scheduler skips the shape until something changes (see <see cref="PlacementShapes"/>).
/// </summary>
internal sealed class PlacementShape
{
    public const string SlotsKey = "slots";
    public const string TaskTagPrefix = "task:";

    public PlacementShape(int id, string key, string taskName, int priority, IReadOnlyDictionary<string, double> requirements, IReadOnlySet<string> immunities)
    {
        Id = id;
        Key = key;
        TaskName = taskName;
        Priority = priority;
        Requirements = requirements;
        Immunities = immunities;
        var placement = new Dictionary<string, double>(requirements, StringComparer.Ordinal)
        {
            [SlotsKey] = 1,
            [TaskTag(taskName)] = 0,
        };
        PlacementRequirements = placement;
        GrowsCapacity = requirements.Values.Any(q => q < 0);
    }

    /// <summary>Creation order; breaks ties deterministically.</summary>
    public int Id { get; }

    public string Key { get; }
    public string TaskName { get; }
    public int Priority { get; }

    /// <summary>The requirements as submitted.</summary>
    public IReadOnlyDictionary<string, double> Requirements { get; }

    public IReadOnlySet<string> Immunities { get; }

    /// <summary>The requirements the engine places: the submitted ones, one slot, and the zero tag of the task name.</summary>
    public IReadOnlyDictionary<string, double> PlacementRequirements { get; }

    /// <summary>A negative requirement adds to its node, so starting such a task can make room for others.</summary>
    public bool GrowsCapacity { get; }

    /// <summary>Queued and running tasks of this shape; the shape is dropped from the registry at zero.</summary>
    public int LiveTasks { get; set; }

    /// <summary>Queued tasks of this shape, over all users (kept by <see cref="ShapeQueue"/>; the monitor's blocked count).</summary>
    public int Queued { get; set; }

    /// <summary>The users with queued tasks of this shape, kept by <see cref="UserQueues"/>; null while none.</summary>
    public ShapeWaitlist? Waitlist { get; set; }

    // The dispatch memo: the engine's last "no" for this shape and the epochs it was given at.
    public string? UnplacedReason { get; set; }
    public bool WaitsForCapacity { get; set; }
    public long UnplacedCapacityEpoch { get; set; } = -1;
    public long UnplacedTopologyEpoch { get; set; } = -1;

    /// <summary>The zero-quantity resource a worker node offers for each task name it handles.</summary>
    public static string TaskTag(string taskName) => TaskTagPrefix + taskName;

    /// <summary>A text key equal for equal shapes: keys and sets in ordinal order, quantities round-trip formatted.</summary>
    public static string KeyOf(string taskName, int priority, IReadOnlyDictionary<string, double> requirements, IReadOnlySet<string> immunities)
    {
        // The common shape, no requirements and no immunities, without a builder: every submission, and every replayed one, asks.
        if (requirements.Count == 0 && immunities.Count == 0)
            return string.Create(CultureInfo.InvariantCulture, $"{taskName}\u0001{priority}\u0002");
        var key = new StringBuilder(taskName.Length + 16 * (requirements.Count + 1));
        key.Append(taskName).Append('\u0001').Append(priority.ToString(CultureInfo.InvariantCulture));
        foreach (var name in requirements.Keys.Order(StringComparer.Ordinal))
            key.Append('\u0001').Append(name).Append('=').Append(requirements[name].ToString("R", CultureInfo.InvariantCulture));
        key.Append('\u0002');
        foreach (var name in immunities.Order(StringComparer.Ordinal))
            key.Append('\u0001').Append(name);
        return key.ToString();
    }
}
