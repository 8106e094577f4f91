namespace Lighthouse.Placement;

/// <summary>Workloads in input order, each to the first qualifying node in node order.</summary>
internal sealed class PrioritizedDistributor(IReadOnlyList<NodeSpec> nodes, PlacementTuning tuning) : SlotOrderDistributor(nodes, tuning)
{
    public override StrategyKind Strategy => StrategyKind.Prioritized;

    protected override int SearchStart => 0;
}
