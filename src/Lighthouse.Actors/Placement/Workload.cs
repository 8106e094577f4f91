namespace Lighthouse.Placement;

/// <summary>
/// Something to place: a unique name, what it takes from a node (name → quantity; a negative
/// requirement adds), the keys whose quantity it ignores (immunities) and its aversion groups
/// (soft anti-affinity: it prefers nodes that hold no workload of the same group).
/// </summary>
public sealed record Workload(
    string Name,
    IReadOnlyDictionary<string, double> Requirements,
    IReadOnlySet<string>? Immunities = null,
    IReadOnlySet<string>? AversionGroups = null);
