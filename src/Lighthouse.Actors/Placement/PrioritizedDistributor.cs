namespace Lighthouse.Placement;

/// <summary>Workloads in input order, each to the first qualifying node in node order.</summary>
internal sealed class PrioritizedDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : FirstFitDistributor(nodes, tuning)
{
    public override StrategyKind Strategy => StrategyKind.Prioritized;

    protected override NodeOrder.Cursor SearchStart => Order.Start;
}
