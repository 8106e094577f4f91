namespace Lighthouse.Placement;

/// <summary>
/// Strategies that walk the nodes in node order from a start position, wrapping once: prioritized (always
/// from the first node) and round-robin. The walk jumps from candidate to candidate through a
/// <see cref="MaxTree"/> instead of visiting every node.
/// </summary>
internal abstract class SlotOrderDistributor : DistributorCore
{
    private readonly MaxTree _tree;

    protected SlotOrderDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : base(nodes, tuning)
        => _tree = new MaxTree(Table, tuning.MaxTrackedKeys);

    /// <summary>The slot the search starts from, in [0, slot count].</summary>
    protected abstract int SearchStart { get; }

    protected sealed override void Offer(CompiledWorkload workload, CandidateScan scan)
    {
        _tree.Prepare(workload);
        var start = SearchStart;
        if (!OfferRange(start, Table.SlotCount, scan))
            OfferRange(0, start, scan);
    }

    protected sealed override void AfterChange(NodeState node, int[] positions) => _tree.Refresh(node, positions);

    protected sealed override void NodeAdded(NodeState node) => _tree.Added(node);

    protected sealed override void NodeRemoved(NodeState node) => _tree.Removed(node.Slot);

    protected sealed override void Compacted() => _tree.Rebuild();

    private bool OfferRange(int from, int to, CandidateScan scan)
    {
        for (var slot = _tree.FindFirst(from, to); slot >= 0; slot = _tree.FindFirst(slot + 1, to))
        {
            if (scan.Offer(Table[slot]!))
                return true;
        }
        return false;
    }
}
