using Lighthouse.Placement;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The placement engine in the scheduler's terms. A worker node becomes a placement node whose
/// resources are its declared ones, plus <c>slots</c> = its slot count, plus a zero-quantity tag
/// <c>task:NAME</c> for each task name it handles; a task becomes a workload named by its id that needs
/// its requirements, one slot and the tag of its task name. Priority ranges and reachability are an
/// extra node filter, so every refusal is counted in the engine's explanation. A node with lanes stays one placement
/// node (its resources are shared by its lanes); the filter asks instead whether the lane of the task's priority has a
/// free slot (<see cref="NodeLanes"/>), which costs O(lanes) for such a node and nothing more for the others.
/// <para>
/// What the engine must hear of the state's events is written here once (<see cref="ChangeFor"/>, <see cref="Apply"/>,
/// <see cref="Follow"/>, <see cref="Settle"/>, <see cref="RebuildOf"/>, <see cref="Rebuild"/>): the strategy actor, the
/// test harnesses and the dispatch benchmark all keep their engine in step through these.
/// </para>
/// </summary>
internal sealed class TaskPlacer
{
    private const string UnreachablePhrase = "are unreachable";

    /// <summary>What a node accepts besides its resources: its priority range, and its lanes if it has any.</summary>
    private sealed record Admission(PriorityRange Priorities, NodeLanes? Lanes);

    private readonly Distributor _distributor;
    // The same nodes with nothing running on them, asked only after a refusal: whether the task would fit
    // once every running task ended is what tells "waits for capacity" from "no current node can ever take it".
    private readonly Distributor _idle;
    private readonly Dictionary<string, Admission> _admissions = new(StringComparer.Ordinal);
    // The lanes each placed task is counted in, for tasks on nodes with lanes only.
    private readonly Dictionary<string, NodeLanes> _lanesOfTask = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private readonly Action<Exception, string>? _engineError;

    /// <param name="engineError">Told of every exception the engine threw that the placer turned into a "no" (the exception and what was being done), so its cause is not lost.</param>
    public TaskPlacer(StrategyKind strategy, IReadOnlyDictionary<string, double>? rubric, Action<Exception, string>? engineError = null)
    {
        _distributor = Distributor.Create(strategy, [], rubric);
        _idle = Distributor.Create(strategy, [], rubric);
        _engineError = engineError;
    }

    /// <summary>
    /// What the engine must hear of an event the state has just applied: the event itself (releases and node changes), a
    /// <see cref="PinTask"/> for an adopted task (its workload is read from <paramref name="state"/>), or null (nothing).
    /// Computed where the state lives; <see cref="Apply"/> runs wherever the engine lives.
    /// </summary>
    public static object? ChangeFor(SchedulerEvent change, SchedulerState state) => change switch
    {
        // A finished task that was still queued held nothing: its release answers false, harmlessly.
        TaskFinished or TaskRequeued or TaskRetrying or NodeRegistered or NodeReachabilityChanged or NodeRemoved => change,
        // Already running there: the worker is told nothing, the engine reserves what it takes.
        TaskAdopted adopted => SchedulerState.PinOf(state.Tasks.Find(adopted.TaskId)!),
        _ => null,
    };

    /// <summary>Applies one change from <see cref="ChangeFor"/> (or a <see cref="ReleaseTask"/>); null, or why a pin was refused.</summary>
    public string? Apply(object change)
    {
        switch (change)
        {
            case TaskFinished finished: Release(finished.TaskId); return null;
            case TaskRequeued requeued: Release(requeued.TaskId); return null;
            case TaskRetrying retrying: Release(retrying.TaskId); return null;
            case ReleaseTask release: Release(release.TaskId); return null;
            case NodeRegistered registered: AddNode(registered); return null;
            case NodeReachabilityChanged reachability: SetReachable(reachability.Node, reachability.Reachable); return null;
            case NodeRemoved removed: RemoveNode(removed.Node); return null;
            case PinTask pin: return Pin(pin);
            case SchedulerEvent: return null;
            default: throw new ArgumentException($"the placer does not apply {change.GetType().Name}", nameof(change));
        }
    }

    /// <summary>Keeps the engine in step with one event just applied to <paramref name="state"/>, in one step (no actor between them): null, or why a pin was refused.</summary>
    public string? Follow(SchedulerEvent change, SchedulerState state) => ChangeFor(change, state) is { } engineChange ? Apply(engineChange) : null;

    /// <summary>The events of the state's decision on the engine's <paramref name="outcome"/>, the reservation given back when the state declines it.</summary>
    public IReadOnlyList<SchedulerEvent> Settle(SchedulerState state, PlacementOutcome outcome, DateTimeOffset now)
    {
        var decision = state.DecidePlacement(outcome, now);
        if (decision.Release) Release(outcome.TaskId);
        return decision.Events;
    }

    /// <summary>
    /// Places <paramref name="requests"/> in order, each seeing the reservations of those before it, up to and including the
    /// first one refused: the rest are not placed (nothing reserved) and are asked again. They were chosen as if every task
    /// before them started (<see cref="SchedulerState.NextPlacements"/>); after a refusal one-at-a-time dispatch would choose
    /// again from a state where that task's shape is blocked and its user got nothing (another user, or another of its
    /// shapes, may come next), so placing them anyway would start tasks in another order than one at a time.
    /// </summary>
    public List<PlacementOutcome> PlaceAll(IReadOnlyList<PlaceTask> requests)
    {
        var outcomes = new List<PlacementOutcome>(requests.Count);
        foreach (var request in requests)
        {
            var outcome = Place(request);
            outcomes.Add(outcome);
            if (outcome.Node is null) break;
        }
        return outcomes;
    }

    /// <summary>What a new engine needs of <paramref name="state"/> (a recovered one): see <see cref="PlacerRebuild"/>.</summary>
    public static PlacerRebuild RebuildOf(SchedulerState state)
    {
        var nodes = state.NodesInRegistrationOrder().ToList();
        return new PlacerRebuild(
            nodes.Select(SchedulerState.RegistrationOf).ToList(),
            state.RunningTasks().Select(SchedulerState.PinOf).ToList(),
            nodes.Where(n => !n.Reachable).Select(n => n.Name).ToList());
    }

    /// <summary>Fills a new engine from <paramref name="image"/>; the pins it refused, each with why.</summary>
    public List<PinRefused> Rebuild(PlacerRebuild image)
    {
        foreach (var node in image.Nodes) AddNode(node);
        var refused = new List<PinRefused>();
        foreach (var pin in image.Pins)
            if (Pin(pin) is { } reason) refused.Add(new PinRefused(pin.TaskId, pin.Node, reason));
        foreach (var node in image.Unreachable) SetReachable(node, false);
        return refused;
    }

    public Distributor Distributor => _distributor;

    private void AddNode(NodeRegistered registration)
    {
        var resources = new Dictionary<string, double>(registration.Resources, StringComparer.Ordinal)
        {
            [PlacementShape.SlotsKey] = registration.Slots,
        };
        foreach (var taskName in registration.TaskNames) resources[PlacementShape.TaskTag(taskName)] = 0;
        _distributor.AddNode(new NodeSpec(registration.Node, resources));
        _idle.AddNode(new NodeSpec(registration.Node, resources));
        _admissions[registration.Node] = new Admission(registration.Priorities, registration.Lanes is { } lanes ? new NodeLanes(lanes) : null);
        _unreachable.Remove(registration.Node);
    }

    private void RemoveNode(string node)
    {
        _distributor.RemoveNode(node);
        _idle.RemoveNode(node);
        if (_admissions.Remove(node, out var admission) && admission.Lanes is { } lanes)
            foreach (var taskId in lanes.Tasks) _lanesOfTask.Remove(taskId);
        _unreachable.Remove(node);
    }

    private void SetReachable(string node, bool reachable)
    {
        if (reachable) _unreachable.Remove(node);
        else if (_admissions.ContainsKey(node)) _unreachable.Add(node);
    }

    /// <summary>Gives back what a task took; false when it was not placed (already released, or its node was removed).</summary>
    private bool Release(string taskId)
    {
        if (_lanesOfTask.Remove(taskId, out var lanes)) lanes.Remove(taskId);
        return _distributor.Release(taskId);
    }

    /// <summary>Places one task; on success its requirements stay reserved on the node until <see cref="Release"/>.</summary>
    public PlacementOutcome Place(PlaceTask request)
    {
        var priority = request.Priority;
        var laneFull = false;
        string? Filter(Workload workload, string node)
        {
            if (_unreachable.Contains(node)) return UnreachablePhrase;
            var admission = _admissions[node];
            if (admission.Lanes is not { } lanes)
                return admission.Priorities.Contains(priority) ? null : $"have a priority range that excludes {priority}";
            var lane = lanes.LaneOf(priority);
            if (lane < 0) return $"have no lane for priority {priority}";
            if (lanes.HasFree(lane)) return null;
            // Like too little of a resource: a release in that lane frees it.
            laneFull = true;
            return $"have their lane for priority {priority} full";
        }
        // With nothing running, a lane is never full.
        string? IdleFilter(Workload workload, string node) =>
            _unreachable.Contains(node) ? UnreachablePhrase
            : _admissions[node] is { Lanes: { } lanes } ? lanes.LaneOf(priority) >= 0 ? null : "have no lane for this priority"
            : _admissions[node].Priorities.Contains(priority) ? null : "have a priority range that excludes it";

        PlacementResult result;
        try
        {
            result = _distributor.Place([request.Workload], Filter);
        }
        catch (PlacementException e)
        {
            // Submissions are validated, so this is a bug or an engine limit; the task waits with the reason.
            _engineError?.Invoke(e, $"placing task {request.TaskId}");
            return new PlacementOutcome(request.TaskId, null, $"the placement engine refused the task: {e.Message}", false, request.CapacityEpoch, request.TopologyEpoch);
        }

        if (result.Assignments[0] is { } node)
        {
            if (_admissions[node].Lanes is { } lanes) CountInLane(request.TaskId, lanes, priority);
            return new PlacementOutcome(request.TaskId, node, null, false, request.CapacityEpoch, request.TopologyEpoch);
        }

        var explanation = result.Unplaced[request.Workload.Name];
        return new PlacementOutcome(
            request.TaskId, null, explanation.ToString(), (laneFull || WaitsForCapacity(explanation)) && FitsWhenIdle(request.Workload, IdleFilter),
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
        catch (PlacementException e)
        {
            // Counted as "never fits": the task then waits for a node change instead of every release.
            _engineError?.Invoke(e, $"checking whether task {workload.Name} fits a node with nothing running");
            return false;
        }
    }

    /// <summary>
    /// Reserves a task's requirements on the node it already runs on (reachable or not). Null on success;
    /// else why the engine refused (the node is unknown, or the task does not fit its remaining resources).
    /// </summary>
    private string? Pin(PinTask pin)
    {
        if (!_admissions.TryGetValue(pin.Node, out var admission)) return $"node \"{pin.Node}\" is not known to the placement engine";
        string? OnlyThere(Workload workload, string node) => node == pin.Node ? null : "are not the node the task runs on";
        try
        {
            var result = _distributor.Place([pin.Workload], OnlyThere);
            if (result.Assignments[0] is null) return result.Unplaced[pin.Workload.Name].ToString();
            if (admission.Lanes is { } lanes) CountInLane(pin.TaskId, lanes, pin.Priority);
            return null;
        }
        catch (PlacementException e)
        {
            _engineError?.Invoke(e, $"reserving task {pin.TaskId} on node {pin.Node}");
            return e.Message;
        }
    }

    /// <summary>Counts a task placed or pinned on a node with lanes in the lane of its priority (none: it counts in the node's slots only).</summary>
    private void CountInLane(string taskId, NodeLanes lanes, int priority)
    {
        var lane = lanes.LaneOf(priority);
        if (lane < 0) return;
        lanes.Add(taskId, lane);
        _lanesOfTask[taskId] = lanes;
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
