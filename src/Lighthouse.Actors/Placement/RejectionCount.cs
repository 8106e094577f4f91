namespace Lighthouse.Placement;

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
