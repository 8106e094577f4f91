namespace Lighthouse.Placement;

/// <summary>Counts each node's rejection of one workload by (reason, key) and orders the counts for the operator.</summary>
internal sealed class ExplanationBuilder
{
    private readonly Dictionary<(RejectionReason Reason, string? Detail), int> _counts = [];

    public void Count(Rejection rejection, int nodes = 1)
    {
        if (nodes == 0)
            return;
        var key = (rejection.Reason, rejection.Detail);
        _counts.TryGetValue(key, out var counted);
        _counts[key] = counted + nodes;
    }

    /// <summary>Most frequent first; ties by reason (rule order), then key in ordinal order.</summary>
    public PlacementExplanation Build(int nodeCount)
    {
        var rejections = _counts
            .Select(entry => new RejectionCount(entry.Key.Reason, entry.Key.Detail, entry.Value))
            .OrderByDescending(count => count.Nodes)
            .ThenBy(count => count.Reason)
            .ThenBy(count => count.Detail, StringComparer.Ordinal)
            .ToArray();
        _counts.Clear();
        return new PlacementExplanation(nodeCount, rejections);
    }
}
