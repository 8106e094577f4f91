namespace Lighthouse.Placement;

/// <summary>
/// Strategies that walk the nodes in node order from a start position, wrapping once, and take the first
/// that qualifies: prioritized (always from the first node) and round-robin.
/// </summary>
internal abstract class FirstFitDistributor : DistributorCore
{
    protected FirstFitDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : base(nodes, tuning)
    {
        Order = new NodeOrder((left, right) => left.Sequence.CompareTo(right.Sequence), tuning.BlockCapacity, tuning.MaxTrackedKeys);
        Order.Build(Table.Live);
    }

    protected NodeOrder Order { get; }

    /// <summary>Where the search starts.</summary>
    protected abstract NodeOrder.Cursor SearchStart { get; }

    protected sealed override void Offer(CompiledWorkload workload, CandidateScan scan)
    {
        Order.Prepare(workload);
        var start = SearchStart;
        if (!Order.Offer(start, Order.End, scan))
            Order.Offer(Order.Start, start, scan);
    }

    protected sealed override void ExplainNodes(CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine)
        => Order.Explain(Order.Start, workload, explanation, examine);

    protected sealed override void AfterChange(NodeState node, int[] positions) => Order.Refresh(node, positions);

    protected sealed override void NodeAdded(NodeState node) => Order.Insert(node);

    protected override void NodeRemoved(NodeState node) => Order.Remove(node);
}
