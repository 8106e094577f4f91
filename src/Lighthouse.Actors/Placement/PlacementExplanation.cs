namespace Lighthouse.Placement;

/// <summary>
/// Why a workload was not placed: every node counted once, under the first rule it failed.
/// <see cref="ToString"/> gives the operator's sentence, e.g. <c>0/3 nodes fit: 2 lack "gpu", 1 has ward "spiders"</c>.
/// </summary>
public sealed record PlacementExplanation(int NodeCount, IReadOnlyList<RejectionCount> Rejections)
{
    public override string ToString() => throw new NotImplementedException("placement engine: explanation text");
}
