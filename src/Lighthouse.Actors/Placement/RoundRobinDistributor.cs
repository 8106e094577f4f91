namespace Lighthouse.Placement;

/// <summary>
/// Each search starts at the node just after the one that took the previous workload (the first search at
/// the first node) and wraps once; a workload placed nowhere leaves the position where it was.
/// </summary>
internal sealed class RoundRobinDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : FirstFitDistributor(nodes, tuning)
{
    // The node that took the previous workload; null before the first placement. When it leaves, its
    // predecessor stands in, so the search still starts at the node that followed it.
    private NodeState? _taker;

    public override StrategyKind Strategy => StrategyKind.RoundRobin;

    protected override NodeOrder.Cursor SearchStart => _taker is null ? Order.Start : Order.After(_taker);

    protected override void Placed(NodeState node) => _taker = node;

    protected override void NodeRemoved(NodeState node)
    {
        if (node == _taker)
            _taker = Order.Predecessor(node);
        base.NodeRemoved(node);
    }
}
