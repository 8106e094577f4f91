namespace Lighthouse.Placement;

/// <summary>
/// A stateful placer over a set of nodes. Quantities, the workloads recorded on each node, the
/// round-robin position and the bin-pack order persist across calls. Not thread-safe: one owner
/// (the StrategyActor, or the CLI) drives it.
/// </summary>
public abstract class Distributor
{
    /// <summary>
    /// Creates a distributor. <paramref name="rubric"/> is required by <see cref="StrategyKind.BinPack"/>
    /// and refused by the other strategies. Throws <see cref="PlacementException"/> on duplicate node
    /// names, NaN quantities or weights, a missing or unexpected rubric.
    /// </summary>
    public static Distributor Create(StrategyKind strategy, IEnumerable<NodeSpec> nodes, IReadOnlyDictionary<string, double>? rubric = null)
        => Create(strategy, nodes, rubric, PlacementTuning.Default);

    internal static Distributor Create(StrategyKind strategy, IEnumerable<NodeSpec> nodes, IReadOnlyDictionary<string, double>? rubric, PlacementTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (!Enum.IsDefined(strategy))
            throw new PlacementException($"unknown strategy {(int)strategy}");
        InputValidation.CheckRubric(strategy, rubric);
        var specs = nodes.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var position = 0; position < specs.Count; position++)
        {
            InputValidation.CheckNode(specs[position], position);
            if (!names.Add(specs[position].Name))
                throw InputValidation.DuplicateNode(specs[position].Name);
        }
        return strategy switch
        {
            StrategyKind.Prioritized => new PrioritizedDistributor(specs, tuning),
            StrategyKind.RoundRobin => new RoundRobinDistributor(specs, tuning),
            _ => new BinPackDistributor(specs, rubric!, tuning),
        };
    }

    /// <summary>Parses "prioritized", "round-robin" or "bin-pack"; throws <see cref="PlacementException"/> naming an unknown one.</summary>
    public static StrategyKind ParseStrategy(string name) => name switch
    {
        "prioritized" => StrategyKind.Prioritized,
        "round-robin" => StrategyKind.RoundRobin,
        "bin-pack" => StrategyKind.BinPack,
        null => throw new PlacementException("strategy name is missing: expected prioritized, round-robin or bin-pack"),
        _ => throw new PlacementException($"unknown strategy \"{name}\": expected prioritized, round-robin or bin-pack"),
    };

    /// <summary>The name <see cref="ParseStrategy"/> accepts for a strategy ("prioritized", "round-robin", "bin-pack").</summary>
    public static string StrategyName(StrategyKind strategy) => strategy switch
    {
        StrategyKind.Prioritized => "prioritized",
        StrategyKind.RoundRobin => "round-robin",
        StrategyKind.BinPack => "bin-pack",
        _ => throw new PlacementException($"unknown strategy {(int)strategy}"),
    };

    public abstract StrategyKind Strategy { get; }

    /// <summary>Node names in node order.</summary>
    public abstract IReadOnlyList<string> Nodes { get; }

    /// <summary>
    /// Places a batch. Throws <see cref="PlacementException"/> (and changes nothing) on duplicate names in
    /// the batch, a name already placed, or a NaN requirement. <paramref name="filter"/> is an optional
    /// extra feasibility rule, asked only about nodes that fit; an exception it throws propagates, and the
    /// workloads of the batch placed before it stay placed.
    /// </summary>
    public abstract PlacementResult Place(IReadOnlyList<Workload> batch, NodeFilter? filter = null);

    /// <summary>
    /// Gives back what a placed workload took. Afterwards the node's quantities equal its original
    /// quantities minus the requirements of the workloads still on it, subtracted in placement order.
    /// Returns false when no workload of that name is placed.
    /// </summary>
    public abstract bool Release(string workload);

    /// <summary>Adds a node at the end of the node order. Throws <see cref="PlacementException"/> on a duplicate name or NaN.</summary>
    public abstract void AddNode(NodeSpec node);

    /// <summary>Removes a node; returns the names of the workloads that were on it (they are no longer placed). Null when unknown.</summary>
    public abstract IReadOnlyList<string>? RemoveNode(string node);

    /// <summary>The node's current quantities (every key it has). Throws <see cref="KeyNotFoundException"/> for an unknown node.</summary>
    public abstract IReadOnlyDictionary<string, double> Remaining(string node);

    /// <summary>The node a workload is placed on, or null.</summary>
    public abstract string? NodeOf(string workload);

    /// <summary>Workloads on a node in placement order. Throws <see cref="KeyNotFoundException"/> for an unknown node.</summary>
    public abstract IReadOnlyList<string> WorkloadsOn(string node);
}
