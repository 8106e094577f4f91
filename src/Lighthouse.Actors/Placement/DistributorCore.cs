namespace Lighthouse.Placement;

/// <summary>
/// What every strategy shares: validation, the node table, the fit test, aversion bookkeeping, commit and
/// release, and explanations. A strategy supplies the order in which nodes are offered and keeps its search
/// structure in step through the change hooks.
/// </summary>
internal abstract class DistributorCore : Distributor
{
    private static readonly IReadOnlyDictionary<string, PlacementExplanation> NoneUnplaced =
        System.Collections.ObjectModel.ReadOnlyDictionary<string, PlacementExplanation>.Empty;

    private readonly Dictionary<string, PlacedWorkload> _placements = new(StringComparer.Ordinal);
    // Per aversion group, how many live nodes hold a workload of it: when that is every node, the
    // "no conflict" pass cannot succeed and is skipped.
    private readonly Dictionary<string, int> _nodesHoldingGroup = new(StringComparer.Ordinal);
    private readonly List<string> _groupScratch = [];
    private readonly CandidateScan _scan = new();
    private readonly ExplanationBuilder _explanation = new();
    private readonly ExplanationCache _explanationCache = new();
    // Bumped by every change of quantities or nodes: cached explanations are only good for one version.
    private long _version;

    protected DistributorCore(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning)
    {
        Table = new NodeTable(tuning.CompactionMinimum);
        foreach (var spec in nodes)
            Table.Add(NodeState.Create(spec, Catalog));
    }

    protected ResourceCatalog Catalog { get; } = new();

    /// <summary>The resource keys the engine has interned: learnt from nodes and the rubric only, never from workloads.</summary>
    internal int KnownKeys => Catalog.Count;

    protected NodeTable Table { get; }

    public override IReadOnlyList<string> Nodes => Table.Names;

    public sealed override PlacementResult Place(IReadOnlyList<Workload> batch, NodeFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        InputValidation.CheckBatch(batch, NodeOf);
        var compiled = new CompiledWorkload[batch.Count];
        for (var index = 0; index < batch.Count; index++)
            compiled[index] = CompiledWorkload.Create(batch[index], Catalog);

        var assignments = new string?[batch.Count];
        var explanations = new PlacementExplanation?[batch.Count];
        foreach (var index in PlacementOrder(compiled))
        {
            var workload = compiled[index];
            var node = workload.RequiresUnknownKey ? null : Search(workload, filter);
            if (node is null)
            {
                explanations[index] = Explain(workload, filter);
                continue;
            }
            Commit(node, workload);
            assignments[index] = node.Name;
        }

        Dictionary<string, PlacementExplanation>? unplaced = null;
        for (var index = 0; index < batch.Count; index++)
        {
            if (explanations[index] is { } explanation)
                (unplaced ??= new Dictionary<string, PlacementExplanation>(StringComparer.Ordinal)).Add(batch[index].Name, explanation);
        }
        return new PlacementResult(batch, assignments, unplaced ?? NoneUnplaced);
    }

    public sealed override bool Release(string workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (!_placements.Remove(workload, out var placed))
            return false;
        var node = placed.Node;
        _version++;
        BeforeChange(node);
        _groupScratch.Clear();
        node.Remove(placed, _groupScratch);
        foreach (var group in _groupScratch)
            ForgetHolder(group);
        AfterChange(node, placed.Positions);
        return true;
    }

    public sealed override void AddNode(NodeSpec node)
    {
        InputValidation.CheckNode(node, Table.LiveCount);
        if (Table.Contains(node.Name))
            throw InputValidation.DuplicateNode(node.Name);
        var state = NodeState.Create(node, Catalog);
        _version++;
        Table.Add(state);
        NodeAdded(state);
    }

    public sealed override IReadOnlyList<string>? RemoveNode(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!Table.TryGet(node, out var state))
            return null;
        _version++;
        var workloads = state.Workloads.Select(placed => placed.Name).ToArray();
        foreach (var name in workloads)
            _placements.Remove(name);
        foreach (var group in state.HeldGroups)
            ForgetHolder(group);
        NodeRemoved(state);
        Table.Remove(state);
        return workloads;
    }

    public sealed override IReadOnlyDictionary<string, double> Remaining(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Table.Get(node).Remaining();
    }

    public sealed override string? NodeOf(string workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return _placements.TryGetValue(workload, out var placed) ? placed.Node.Name : null;
    }

    public sealed override IReadOnlyList<string> WorkloadsOn(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Table.Get(node).Workloads.Select(placed => placed.Name).ToArray();
    }

    /// <summary>The order in which the batch is placed (indices into it); input order unless overridden.</summary>
    protected virtual IEnumerable<int> PlacementOrder(CompiledWorkload[] batch) => Enumerable.Range(0, batch.Length);

    /// <summary>Offers nodes to <paramref name="scan"/> in the strategy's order until it takes one.</summary>
    protected abstract void Offer(CompiledWorkload workload, CandidateScan scan);

    /// <summary>
    /// Counts into <paramref name="explanation"/> why each live node refuses the workload, passing to
    /// <paramref name="examine"/> the nodes that need the full fit rule and the filter.
    /// </summary>
    protected abstract void ExplainNodes(CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine);

    /// <summary>Called before a node's quantities change, while the search structure still matches them.</summary>
    protected virtual void BeforeChange(NodeState node) { }

    /// <summary>Called after a node's quantities at <paramref name="positions"/> (and its negative keys) changed.</summary>
    protected abstract void AfterChange(NodeState node, int[] positions);

    /// <summary>Called after a placement on <paramref name="node"/>.</summary>
    protected virtual void Placed(NodeState node) { }

    /// <summary>Called when a node joined the table (at the end of the order).</summary>
    protected abstract void NodeAdded(NodeState node);

    /// <summary>Called when a node leaves, before the table forgets it.</summary>
    protected abstract void NodeRemoved(NodeState node);

    private NodeState? Search(CompiledWorkload workload, NodeFilter? filter)
    {
        _scan.Start(workload, filter, AvoidConflicts(workload));
        Offer(workload, _scan);
        return _scan.Result;
    }

    private bool AvoidConflicts(CompiledWorkload workload)
    {
        var anyHeld = false;
        foreach (var group in workload.Groups)
        {
            if (!_nodesHoldingGroup.TryGetValue(group, out var holders))
                continue;
            if (holders >= Table.LiveCount)
                return false;
            anyHeld = true;
        }
        return anyHeld;
    }

    private void Commit(NodeState node, CompiledWorkload workload)
    {
        var positions = new int[workload.RequiredIds.Length];
        for (var index = 0; index < positions.Length; index++)
            positions[index] = node.Find(workload.RequiredIds[index]);
        var placed = new PlacedWorkload(workload.Name, node, positions, workload.Amounts, workload.Groups);
        _version++;
        BeforeChange(node);
        _groupScratch.Clear();
        node.Apply(placed, _groupScratch);
        foreach (var group in _groupScratch)
        {
            _nodesHoldingGroup.TryGetValue(group, out var holders);
            _nodesHoldingGroup[group] = holders + 1;
        }
        _placements.Add(workload.Name, placed);
        AfterChange(node, positions);
        Placed(node);
    }

    private void ForgetHolder(string group)
    {
        var holders = _nodesHoldingGroup[group] - 1;
        if (holders == 0)
            _nodesHoldingGroup.Remove(group);
        else
            _nodesHoldingGroup[group] = holders;
    }

    /// <summary>
    /// Each live node counted once under the first thing that kept the workload off it: the strategy's order
    /// (bin-pack score), then the fit rules, then the caller's filter.
    /// </summary>
    private PlacementExplanation Explain(CompiledWorkload workload, NodeFilter? filter)
    {
        if (filter is null && _explanationCache.TryGet(workload, _version, out var cached))
            return cached;
        ExplainNodes(workload, _explanation, node =>
        {
            if (!FitRule.Check(node, workload, out var rejection))
                _explanation.Count(rejection);
            else if (filter?.Invoke(workload.Source, node.Name) is { } phrase)
                _explanation.Count(new Rejection(RejectionReason.Filtered, phrase));
        });
        var explanation = _explanation.Build(Table.LiveCount);
        if (filter is null)
            _explanationCache.Add(workload, explanation);
        return explanation;
    }
}
