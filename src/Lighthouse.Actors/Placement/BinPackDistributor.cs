namespace Lighthouse.Placement;

/// <summary>
/// Tightest node first: the workloads of a batch in descending rubric score (stable), each tried on the
/// nodes in ascending (score of current remaining, name) order, skipping nodes scored below it. Only the node
/// that changed is re-scored.
/// </summary>
internal sealed class BinPackDistributor : DistributorCore
{
    private readonly Rubric _rubric;
    private readonly ScoreOrder _order;

    public BinPackDistributor(IReadOnlyList<NodeSpec> nodes, IReadOnlyDictionary<string, double> rubric, PlacementTuning tuning)
        : base(nodes, tuning)
    {
        _rubric = new Rubric(rubric, Catalog);
        _order = new ScoreOrder(tuning.BlockCapacity, tuning.MaxTrackedKeys);
        foreach (var node in Table.Live)
            node.Score = _rubric.Score(node);
        _order.Build(Table.Live);
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
        _order.Prepare(workload);
        _order.Search(workload.Score, scan);
    }

    protected override bool SkipsByOrder(NodeState node, CompiledWorkload workload) => Rubric.IsBelow(node.Score, workload.Score);

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
}
