namespace Lighthouse.Placement;

/// <summary>
/// Why a workload was not placed: every node counted once, under the first rule it failed.
/// <see cref="ToString"/> gives the operator's sentence, e.g. <c>0/3 nodes fit: 2 lack "gpu", 1 has ward "spiders"</c>.
/// </summary>
public sealed record PlacementExplanation(int NodeCount, IReadOnlyList<RejectionCount> Rejections)
{
    /// <summary>Nodes not accounted for by a rejection (0 for a workload left unplaced).</summary>
    public int FittingNodes => Math.Max(0, NodeCount - Rejections.Sum(rejection => rejection.Nodes));

    public override string ToString()
    {
        var head = $"{FittingNodes}/{NodeCount} nodes fit";
        if (NodeCount == 0)
            return head + ": no nodes";
        return Rejections.Count == 0 ? head : head + ": " + string.Join(", ", Rejections);
    }

    /// <summary>Equal when they say the same thing: same node count and the same rejections in the same order.</summary>
    public bool Equals(PlacementExplanation? other)
        => other is not null && NodeCount == other.NodeCount && Rejections.SequenceEqual(other.Rejections);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(NodeCount);
        foreach (var rejection in Rejections)
            hash.Add(rejection);
        return hash.ToHashCode();
    }
}
