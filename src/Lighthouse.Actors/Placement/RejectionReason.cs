namespace Lighthouse.Placement;

/// <summary>Why one node refused one workload (the first rule that failed).</summary>
public enum RejectionReason
{
    /// <summary>The workload requires a key the node does not have.</summary>
    MissingKey,
    /// <summary>resource - requirement would be below zero for a required, non-immune key.</summary>
    Insufficient,
    /// <summary>The node has a finite negative quantity of a key the workload neither requires nor is immune to.</summary>
    Shortcoming,
    /// <summary>The node has -Infinity of a key the workload neither requires nor is immune to.</summary>
    Ward,
    /// <summary>resource - requirement would be NaN (e.g. Infinity - Infinity).</summary>
    ArithmeticNaN,
    /// <summary>Bin-pack skipped the node: its score is below the workload's score.</summary>
    ScoreBelowWorkload,
    /// <summary>A caller-supplied <see cref="NodeFilter"/> refused the node; Detail holds its phrase.</summary>
    Filtered,
}
