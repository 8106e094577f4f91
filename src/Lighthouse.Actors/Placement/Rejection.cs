namespace Lighthouse.Placement;

/// <summary>Why one node refused one workload: the first rule it failed and the key (or phrase) concerned.</summary>
internal readonly record struct Rejection(RejectionReason Reason, string? Detail);
