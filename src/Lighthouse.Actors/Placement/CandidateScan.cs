namespace Lighthouse.Placement;

/// <summary>
/// Judges the nodes a strategy offers, in its order, for one workload. Both aversion passes share one walk:
/// the first qualifying node that conflicts is remembered, and it is exactly what the second pass (any
/// qualifying node, same order from the same start) would return if the first pass finds nothing.
/// </summary>
internal sealed class CandidateScan
{
    private CompiledWorkload _workload = null!;
    private NodeFilter? _filter;
    private bool _avoidConflicts;

    public NodeState? Chosen { get; private set; }

    public NodeState? Fallback { get; private set; }

    public NodeState? Result => Chosen ?? Fallback;

    /// <param name="avoidConflicts">False when no node could conflict, or every node does (the first pass is moot).</param>
    public void Start(CompiledWorkload workload, NodeFilter? filter, bool avoidConflicts)
    {
        _workload = workload;
        _filter = filter;
        _avoidConflicts = avoidConflicts;
        Chosen = null;
        Fallback = null;
    }

    /// <summary>Returns true when the node is taken and the walk can stop.</summary>
    public bool Offer(NodeState node)
    {
        if (!FitRule.Fits(node, _workload))
            return false;
        if (_filter is not null && _filter(_workload.Source, node.Name) is not null)
            return false;
        if (_avoidConflicts && node.ConflictsWith(_workload.Groups))
        {
            Fallback ??= node;
            return false;
        }
        Chosen = node;
        return true;
    }
}
