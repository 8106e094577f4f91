namespace Lighthouse.Placement;

/// <summary>
/// The outcome of one <see cref="Distributor.Place"/> call: for every workload, in input order,
/// the node it went to or null; and for every unplaced workload, why.
/// </summary>
public sealed record PlacementResult(
    IReadOnlyList<Workload> Workloads,
    IReadOnlyList<string?> Assignments,
    IReadOnlyDictionary<string, PlacementExplanation> Unplaced);
