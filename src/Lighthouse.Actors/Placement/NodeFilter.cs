namespace Lighthouse.Placement;

/// <summary>
/// An extra feasibility rule supplied by the caller (the scheduler uses it for worker priority
/// ranges). Returns null when <paramref name="workload"/> may go to <paramref name="node"/>, else a
/// short reason phrased to follow a count, e.g. "are outside the priority range": it is counted in
/// the explanation like every other rejection.
/// </summary>
public delegate string? NodeFilter(Workload workload, string node);
