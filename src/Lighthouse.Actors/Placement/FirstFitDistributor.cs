namespace Lighthouse.Placement;

/// <summary>
/// Strategies that walk the nodes in node order from a start position, wrapping once, and take the first
/// that qualifies: prioritized (always from the first node) and round-robin.
/// </summary>
internal abstract class FirstFitDistributor : DistributorCore
{
    private readonly NodePrefilter _prefilter;
    private readonly ExplanationScan _explanationScan;

    protected FirstFitDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : base(nodes, tuning)
    {
        Order = new NodeOrder((left, right) => left.Sequence.CompareTo(right.Sequence), tuning.BlockCapacity, tuning.MaxTrackedKeys);
        Order.Build(Table.Live);
        _prefilter = new NodePrefilter(Order);
        _explanationScan = new ExplanationScan(Order);
    }

    protected NodeOrder Order { get; }

    /// <summary>Where the search starts.</summary>
    protected abstract NodeOrder.Cursor SearchStart { get; }

    protected sealed override void Offer(CompiledWorkload workload, CandidateScan scan)
    {
        _prefilter.Prepare(workload);
        var start = SearchStart;
        if (!_prefilter.Offer(start, Order.End, scan))
            _prefilter.Offer(Order.Start, start, scan);
    }

    protected sealed override void ExplainNodes(CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine)
        => _explanationScan.Explain(Order.Start, workload, explanation, examine);

    protected sealed override void AfterChange(NodeState node, int[] positions) => Order.Refresh(node, positions);

    protected sealed override void NodeAdded(NodeState node) => Order.Insert(node);

    protected override void NodeRemoved(NodeState node) => Order.Remove(node);
}
