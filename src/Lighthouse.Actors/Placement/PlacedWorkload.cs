namespace Lighthouse.Placement;

/// <summary>
/// A workload as recorded on the node that took it: what it subtracted, at which positions of the node's
/// arrays, so that a release can replay the remaining workloads without looking names up again.
/// </summary>
internal sealed class PlacedWorkload(string name, NodeState node, int[] positions, double[] amounts, string[] groups)
{
    public string Name { get; } = name;
    public NodeState Node { get; } = node;

    /// <summary>Positions in <see cref="NodeState.Keys"/> of the required keys.</summary>
    public int[] Positions { get; } = positions;

    /// <summary>The requirement subtracted at each position.</summary>
    public double[] Amounts { get; } = amounts;

    /// <summary>Distinct aversion groups.</summary>
    public string[] Groups { get; } = groups;
}
