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

/// <summary>How many nodes refused a workload for one reason about one key (or filter phrase).</summary>
public sealed record RejectionCount(RejectionReason Reason, string? Detail, int Nodes)
{
    /// <summary>The operator's phrase, e.g. <c>2 lack "gpu"</c>, <c>1 has ward "spiders"</c>.</summary>
    public override string ToString()
    {
        var one = Nodes == 1;
        var key = $"\"{Detail}\"";
        return Reason switch
        {
            RejectionReason.MissingKey => $"{Nodes} {(one ? "lacks" : "lack")} {key}",
            RejectionReason.Insufficient => $"{Nodes} {(one ? "has" : "have")} too little {key}",
            RejectionReason.Shortcoming => $"{Nodes} {(one ? "has" : "have")} shortcoming {key}",
            RejectionReason.Ward => $"{Nodes} {(one ? "has" : "have")} ward {key}",
            RejectionReason.ArithmeticNaN => $"{Nodes} would compute NaN for {key}",
            RejectionReason.ScoreBelowWorkload => $"{Nodes} scored below the workload",
            RejectionReason.Filtered => $"{Nodes} {Detail}",
            _ => $"{Nodes} {Reason} {key}",
        };
    }
}
