using Lighthouse.Placement;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The placement engine in the scheduler's terms. A worker node becomes a placement node whose
/// resources are its declared ones, plus <c>slots</c> = its slot count, plus a zero-quantity tag
/// <c>task:NAME</c> for each task name it handles; a task becomes a workload named by its id that needs
/// its requirements, one slot and the tag of its task name. Priority ranges and reachability are an
/// extra node filter, so every refusal is counted in the engine's explanation.
/// </summary>
internal sealed class TaskPlacer
{
    private const string UnreachablePhrase = "are unreachable";

    private readonly Distributor _distributor;
    // The same nodes with nothing running on them, asked only after a refusal: whether the task would fit
    // once every running task ended is what tells "waits for capacity" from "no current node can ever take it".
    private readonly Distributor _idle;
    private readonly Dictionary<string, PriorityRange> _priorities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);

    public TaskPlacer(StrategyKind strategy, IReadOnlyDictionary<string, double>? rubric)
    {
        _distributor = Distributor.Create(strategy, [], rubric);
        _idle = Distributor.Create(strategy, [], rubric);
    }

    public Distributor Distributor => _distributor;

    public void AddNode(NodeRegistered registration)
    {
        var resources = new Dictionary<string, double>(registration.Resources, StringComparer.Ordinal)
        {
            [PlacementShape.SlotsKey] = registration.Slots,
        };
        foreach (var taskName in registration.TaskNames) resources[PlacementShape.TaskTag(taskName)] = 0;
        _distributor.AddNode(new NodeSpec(registration.Node, resources));
        _idle.AddNode(new NodeSpec(registration.Node, resources));
        _priorities[registration.Node] = registration.Priorities;
        _unreachable.Remove(registration.Node);
    }

    public void RemoveNode(string node)
    {
        _distributor.RemoveNode(node);
        _idle.RemoveNode(node);
        _priorities.Remove(node);
        _unreachable.Remove(node);
    }

    public void SetReachable(string node, bool reachable)
    {
        if (reachable) _unreachable.Remove(node);
        else if (_priorities.ContainsKey(node)) _unreachable.Add(node);
    }

    /// <summary>Gives back what a task took; false when it was not placed (already released, or its node was removed).</summary>
    public bool Release(string taskId) => _distributor.Release(taskId);

    /// <summary>Places one task; on success its requirements stay reserved on the node until <see cref="Release"/>.</summary>
    public PlacementOutcome Place(PlaceTask request)
    {
        var priority = request.Priority;
        string? Filter(Workload workload, string node) =>
            _unreachable.Contains(node) ? UnreachablePhrase
            : _priorities[node].Contains(priority) ? null
            : $"have a priority range that excludes {priority}";

        PlacementResult result;
        try
        {
            result = _distributor.Place([request.Workload], Filter);
        }
        catch (PlacementException e)
        {
            // Submissions are validated, so this is a bug or an engine limit; the task waits with the reason.
            return new PlacementOutcome(request.TaskId, null, $"the placement engine refused the task: {e.Message}", false, request.CapacityEpoch, request.TopologyEpoch);
        }

        if (result.Assignments[0] is { } node)
            return new PlacementOutcome(request.TaskId, node, null, false, request.CapacityEpoch, request.TopologyEpoch);

        var explanation = result.Unplaced[request.Workload.Name];
        return new PlacementOutcome(
            request.TaskId, null, explanation.ToString(), WaitsForCapacity(explanation) && FitsWhenIdle(request.Workload, Filter),
            request.CapacityEpoch, request.TopologyEpoch);
    }

    /// <summary>
    /// Whether some node that passes <paramref name="filter"/> takes the workload with nothing running on it. A node
    /// with 2 GPUs refuses a 4-GPU task as "too little", as it refuses a 1-GPU task while both are taken; only the
    /// second one may start when a task ends.
    /// </summary>
    private bool FitsWhenIdle(Workload workload, NodeFilter filter)
    {
        try
        {
            if (_idle.Place([workload], filter).Assignments[0] is null) return false;
            _idle.Release(workload.Name);
            return true;
        }
        catch (PlacementException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reserves a task's requirements on the node it already runs on (reachable or not). Null on success;
    /// else why the engine refused (the node is unknown, or the task does not fit its remaining resources).
    /// </summary>
    public string? Pin(PinTask pin)
    {
        if (!_priorities.ContainsKey(pin.Node)) return $"node \"{pin.Node}\" is not known to the placement engine";
        string? OnlyThere(Workload workload, string node) => node == pin.Node ? null : "are not the node the task runs on";
        try
        {
            var result = _distributor.Place([pin.Workload], OnlyThere);
            return result.Assignments[0] is not null ? null : result.Unplaced[pin.Workload.Name].ToString();
        }
        catch (PlacementException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Whether a node might take the task once something ends: some node refused it only for a
    /// quantity that a release can change. Missing keys, wards, priority ranges and unreachable nodes
    /// change only when nodes come, go or come back.
    /// </summary>
    private static bool WaitsForCapacity(PlacementExplanation explanation) =>
        explanation.Rejections.Any(r => r.Reason is RejectionReason.Insufficient
            or RejectionReason.Shortcoming
            or RejectionReason.ArithmeticNaN
            or RejectionReason.ScoreBelowWorkload);
}
