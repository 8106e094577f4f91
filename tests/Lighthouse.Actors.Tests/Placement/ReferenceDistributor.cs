using Lighthouse.Placement;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>
/// The rules of issue 2 written as plainly as possible — string dictionaries, linear scans, two literal
/// aversion passes, quantities recomputed from the originals on every read — to check the engine's indexed
/// search against. Slow on purpose; only for small scenarios.
/// </summary>
internal sealed class ReferenceDistributor
{
    private sealed class Node(NodeSpec spec)
    {
        public string Name { get; } = spec.Name;
        public NodeSpec Spec { get; } = spec;
        public List<Workload> Workloads { get; } = [];

        /// <summary>The definition: original quantities minus the requirements of the workloads here, in placement order.</summary>
        public Dictionary<string, double> Current()
        {
            var current = new Dictionary<string, double>(Spec.Resources);
            foreach (var workload in Workloads)
            {
                foreach (var (key, amount) in workload.Requirements)
                    current[key] -= amount;
            }
            return current;
        }
    }

    private readonly StrategyKind _strategy;
    private readonly IReadOnlyDictionary<string, double>? _rubric;
    private readonly List<Node> _nodes;
    private int _lastTaker = -1;

    public ReferenceDistributor(StrategyKind strategy, IEnumerable<NodeSpec> nodes, IReadOnlyDictionary<string, double>? rubric)
    {
        _strategy = strategy;
        _rubric = rubric;
        _nodes = nodes.Select(spec => new Node(spec)).ToList();
    }

    public IReadOnlyList<string> Nodes => _nodes.Select(node => node.Name).ToList();

    public (string?[] Assignments, Dictionary<string, string> Unplaced) Place(IReadOnlyList<Workload> batch, NodeFilter? filter)
    {
        var assignments = new string?[batch.Count];
        var unplaced = new Dictionary<string, string>();
        IEnumerable<int> order = Enumerable.Range(0, batch.Count);
        if (_strategy == StrategyKind.BinPack)
            order = order.OrderByDescending(index => Score(batch[index].Requirements), ScoreComparer.Instance).ThenBy(index => index).ToList();
        foreach (var index in order)
        {
            var workload = batch[index];
            var candidates = Candidates(workload);
            var chosen = candidates.FirstOrDefault(node => Qualifies(node, workload, filter) && !Conflicts(node, workload))
                ?? candidates.FirstOrDefault(node => Qualifies(node, workload, filter));
            if (chosen is null)
            {
                unplaced[workload.Name] = Explain(workload, filter);
                continue;
            }
            chosen.Workloads.Add(workload);
            assignments[index] = chosen.Name;
            _lastTaker = _nodes.IndexOf(chosen);
        }
        return (assignments, unplaced);
    }

    public bool Release(string workload)
    {
        foreach (var node in _nodes)
        {
            if (node.Workloads.RemoveAll(placed => placed.Name == workload) > 0)
                return true;
        }
        return false;
    }

    public void AddNode(NodeSpec spec) => _nodes.Add(new Node(spec));

    public IReadOnlyList<string>? RemoveNode(string name)
    {
        var index = _nodes.FindIndex(node => node.Name == name);
        if (index < 0)
            return null;
        var removed = _nodes[index];
        _nodes.RemoveAt(index);
        // The node after the taker keeps being "just after" it: positions after a removed node shift down.
        if (index <= _lastTaker)
            _lastTaker--;
        return removed.Workloads.Select(workload => workload.Name).ToList();
    }

    public Dictionary<string, double> Remaining(string node) => _nodes.Single(candidate => candidate.Name == node).Current();

    public string? NodeOf(string workload) => _nodes.FirstOrDefault(node => node.Workloads.Any(placed => placed.Name == workload))?.Name;

    public IReadOnlyList<string> WorkloadsOn(string node)
        => _nodes.Single(candidate => candidate.Name == node).Workloads.Select(workload => workload.Name).ToList();

    private List<Node> Candidates(Workload workload)
    {
        switch (_strategy)
        {
            case StrategyKind.Prioritized:
                return _nodes.ToList();
            case StrategyKind.RoundRobin:
                var start = _lastTaker + 1 >= _nodes.Count ? 0 : _lastTaker + 1;
                return _nodes.Skip(start).Concat(_nodes.Take(start)).ToList();
            default:
                var score = Score(workload.Requirements);
                return _nodes
                    .OrderBy(node => Score(node.Current()), ScoreComparer.Instance)
                    .ThenBy(node => node.Name, StringComparer.Ordinal)
                    .Where(node => !(Score(node.Current()) < score))
                    .ToList();
        }
    }

    private bool Qualifies(Node node, Workload workload, NodeFilter? filter)
        => FirstFailure(node, workload) is null && filter?.Invoke(workload, node.Name) is null;

    private static bool Conflicts(Node node, Workload workload)
        => workload.AversionGroups is { } groups
           && node.Workloads.Any(placed => placed.AversionGroups is { } theirs && theirs.Overlaps(groups));

    /// <summary>The first rule the node fails, as the explanation phrase fragment, or null when it fits.</summary>
    private static (RejectionReason Reason, string Key)? FirstFailure(Node node, Workload workload)
    {
        var current = node.Current();
        var immune = workload.Immunities ?? new HashSet<string>();
        var required = workload.Requirements.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var key in required)
        {
            if (!current.ContainsKey(key))
                return (RejectionReason.MissingKey, key);
        }
        foreach (var key in required)
        {
            var left = current[key] - workload.Requirements[key];
            if (double.IsNaN(left))
                return (RejectionReason.ArithmeticNaN, key);
            if (left < 0 && !immune.Contains(key))
                return (RejectionReason.Insufficient, key);
        }
        foreach (var key in current.Keys.Order(StringComparer.Ordinal))
        {
            if (workload.Requirements.ContainsKey(key) || immune.Contains(key) || !(current[key] < 0))
                continue;
            return (double.IsNegativeInfinity(current[key]) ? RejectionReason.Ward : RejectionReason.Shortcoming, key);
        }
        return null;
    }

    private string Explain(Workload workload, NodeFilter? filter)
    {
        var counts = new Dictionary<(RejectionReason Reason, string? Detail), int>();
        foreach (var node in _nodes)
        {
            (RejectionReason, string?)? reason = null;
            // Feasibility first: bin-pack's score skip is named only for nodes the fit rules would take.
            if (FirstFailure(node, workload) is { } failure)
                reason = (failure.Reason, failure.Key);
            else if (_strategy == StrategyKind.BinPack && Score(node.Current()) < Score(workload.Requirements))
                reason = (RejectionReason.ScoreBelowWorkload, null);
            else if (filter?.Invoke(workload, node.Name) is { } phrase)
                reason = (RejectionReason.Filtered, phrase);
            if (reason is { } found)
                counts[found] = counts.GetValueOrDefault(found) + 1;
        }
        if (_nodes.Count == 0)
            return "0/0 nodes fit: no nodes";
        var parts = counts
            .OrderByDescending(entry => entry.Value)
            .ThenBy(entry => entry.Key.Reason)
            .ThenBy(entry => entry.Key.Detail, StringComparer.Ordinal)
            .Select(entry => Phrase(entry.Key.Reason, entry.Key.Detail, entry.Value));
        return $"{_nodes.Count - counts.Values.Sum()}/{_nodes.Count} nodes fit: " + string.Join(", ", parts);
    }

    private static string Phrase(RejectionReason reason, string? detail, int nodes) => reason switch
    {
        RejectionReason.MissingKey => nodes == 1 ? $"1 lacks \"{detail}\"" : $"{nodes} lack \"{detail}\"",
        RejectionReason.Insufficient => $"{nodes} {(nodes == 1 ? "has" : "have")} too little \"{detail}\"",
        RejectionReason.Shortcoming => $"{nodes} {(nodes == 1 ? "has" : "have")} shortcoming \"{detail}\"",
        RejectionReason.Ward => $"{nodes} {(nodes == 1 ? "has" : "have")} ward \"{detail}\"",
        RejectionReason.ArithmeticNaN => $"{nodes} would compute NaN for \"{detail}\"",
        RejectionReason.ScoreBelowWorkload => $"{nodes} scored below the workload",
        _ => $"{nodes} {detail}",
    };

    private double Score(IReadOnlyDictionary<string, double> map)
    {
        var score = 0.0;
        foreach (var key in _rubric!.Keys.Order(StringComparer.Ordinal))
        {
            if (!map.TryGetValue(key, out var quantity))
                continue;
            var weight = _rubric[key];
            score += weight == 0 || quantity == 0 ? 0 : weight * quantity;
        }
        return score;
    }

    /// <summary>Ascending scores with NaN above +Infinity (the engine's documented rule).</summary>
    private sealed class ScoreComparer : IComparer<double>
    {
        public static ScoreComparer Instance { get; } = new();

        public int Compare(double left, double right)
            => double.IsNaN(left) ? (double.IsNaN(right) ? 0 : 1) : double.IsNaN(right) ? -1 : left.CompareTo(right);
    }
}
