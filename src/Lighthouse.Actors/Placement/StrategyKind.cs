namespace Lighthouse.Placement;

/// <summary>How a distributor orders the nodes it tries.</summary>
public enum StrategyKind
{
    /// <summary>Nodes in the order given; the first that qualifies.</summary>
    Prioritized,
    /// <summary>Each search starts just after the node that took the previous workload.</summary>
    RoundRobin,
    /// <summary>Tightest node first by rubric score; heaviest workloads of a batch first.</summary>
    BinPack,
}
