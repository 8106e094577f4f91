namespace Lighthouse.Placement;

/// <summary>
/// Tightest node first: the workloads of a batch in descending rubric score (stable), each tried on the
/// nodes in ascending (score of current remaining, name) order, skipping nodes scored below it. Only the node
/// that changed is re-scored (and moved in the order).
/// </summary>
internal sealed class BinPackDistributor : DistributorCore
{
    private readonly Rubric _rubric;
    private readonly NodeOrder _order;
    private readonly NodePrefilter _prefilter;
    private readonly ExplanationScan _explanationScan;

    public BinPackDistributor(IReadOnlyList<NodeSpec> nodes, IReadOnlyDictionary<string, double> rubric, PlacementTuning tuning)
        : base(nodes, tuning)
    {
        _rubric = new Rubric(rubric, Catalog);
        _order = new NodeOrder(CompareTightness, tuning.BlockCapacity, tuning.MaxTrackedKeys);
        foreach (var node in Table.Live)
            node.Score = _rubric.Score(node);
        _order.Build(Table.Live);
        _prefilter = new NodePrefilter(_order);
        _explanationScan = new ExplanationScan(_order);
    }

    public override StrategyKind Strategy => StrategyKind.BinPack;

    protected override IEnumerable<int> PlacementOrder(CompiledWorkload[] batch)
    {
        var order = new int[batch.Length];
        for (var index = 0; index < batch.Length; index++)
        {
            batch[index].Score = _rubric.Score(batch[index].Source.Requirements);
            order[index] = index;
        }
        // Descending score; the index breaks ties, which makes the sort stable.
        Array.Sort(order, (left, right) =>
        {
            var byScore = Rubric.Compare(batch[right].Score, batch[left].Score);
            return byScore != 0 ? byScore : left.CompareTo(right);
        });
        return order;
    }

    protected override void Offer(CompiledWorkload workload, CandidateScan scan)
    {
        _prefilter.Prepare(workload);
        _prefilter.Offer(FirstNotSkipped(workload), _order.End, scan);
    }

    /// <summary>
    /// Feasibility first, then rank: a node skipped for its score is named as such only when the fit rules would
    /// have let the workload on, so "why is my task pending?" names the missing key or the short resource
    /// (<c>3 lack "gpu"</c>) rather than the strategy's ordering.
    /// </summary>
    protected override void ExplainNodes(CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine)
    {
        _explanationScan.Explain(_order.Start, workload, explanation, node =>
        {
            if (!double.IsNaN(workload.Score) && Rubric.IsBelow(node.Score, workload.Score))
                explanation.Count(FitRule.Check(node, workload, out var rejection)
                    ? new Rejection(RejectionReason.ScoreBelowWorkload, null)
                    : rejection);
            else
                examine(node);
        });
    }

    protected override void BeforeChange(NodeState node) => _order.Remove(node);

    protected override void AfterChange(NodeState node, int[] positions)
    {
        node.Score = _rubric.Score(node);
        _order.Insert(node);
    }

    protected override void NodeAdded(NodeState node)
    {
        node.Score = _rubric.Score(node);
        _order.Insert(node);
    }

    protected override void NodeRemoved(NodeState node) => _order.Remove(node);

    /// <summary>
    /// Skipped nodes (score strictly below the workload's) form a prefix of the order, because NaN scores are
    /// ordered last and a NaN workload score skips nothing (see <see cref="Rubric.IsBelow"/>).
    /// </summary>
    private NodeOrder.Cursor FirstNotSkipped(CompiledWorkload workload)
        => double.IsNaN(workload.Score) ? _order.Start : _order.FirstNotBelow(workload.Score);

    private static int CompareTightness(NodeState left, NodeState right)
    {
        var byScore = Rubric.Compare(left.Score, right.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(left.Name, right.Name);
    }
}
