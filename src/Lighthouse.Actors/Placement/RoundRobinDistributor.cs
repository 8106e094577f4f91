namespace Lighthouse.Placement;

/// <summary>
/// Each search starts at the node just after the one that took the previous workload (the first search at
/// the first node) and wraps once; a workload placed nowhere leaves the position where it was.
/// </summary>
internal sealed class RoundRobinDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : SlotOrderDistributor(nodes, tuning)
{
    // Slot of the node that took the previous workload; -1 before the first placement. It may be a dead
    // slot (that node left): the search then starts at the first live node after where it stood.
    private int _lastTaker = -1;

    public override StrategyKind Strategy => StrategyKind.RoundRobin;

    protected override int SearchStart => _lastTaker + 1 >= Table.SlotCount ? 0 : _lastTaker + 1;

    protected override void Placed(NodeState node) => _lastTaker = node.Slot;

    // After compaction the live nodes up to the old taker slot keep their order, so the next start
    // (one past the taker, or past where it stood) is their count.
    protected override void Compacting() => _lastTaker = Table.LiveUpTo(_lastTaker) - 1;
}
