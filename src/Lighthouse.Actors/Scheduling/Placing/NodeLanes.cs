using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The placer's count of the tasks in each lane of one worker node with lanes (see <see cref="WorkerLane"/>). The engine
/// counts the node's slots as one resource; this says whether the lane of a task's priority has one free. A task's lane
/// is the one its priority falls in (lanes never overlap), so the scheduler's state and the worker count the same.
/// </summary>
internal sealed class NodeLanes(IReadOnlyList<WorkerLane> lanes)
{
    private readonly int[] _running = new int[lanes.Count];
    private readonly Dictionary<string, int> _laneOfTask = new(StringComparer.Ordinal);

    public IReadOnlyList<WorkerLane> Lanes => lanes;

    /// <summary>The ids of the tasks counted here.</summary>
    public IEnumerable<string> Tasks => _laneOfTask.Keys;

    /// <summary>The lane of <paramref name="priority"/>, or -1 when none holds it. O(lanes).</summary>
    public int LaneOf(int priority) => WorkerLanes.IndexOf(lanes, priority);

    public bool HasFree(int lane) => _running[lane] < lanes[lane].Slots;

    /// <summary>Counts a task in <paramref name="lane"/> (over its slots too: a pinned task runs there already).</summary>
    public void Add(string taskId, int lane)
    {
        if (_laneOfTask.TryAdd(taskId, lane)) _running[lane]++;
    }

    public void Remove(string taskId)
    {
        if (_laneOfTask.Remove(taskId, out var lane)) _running[lane]--;
    }
}
