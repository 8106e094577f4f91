using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Lighthouse.Placement;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>One step a scenario applies to a distributor.</summary>
internal abstract record Step;

/// <summary>Places a batch; <paramref name="Filtered"/> adds <see cref="RandomScenario.TestFilter"/>.</summary>
internal sealed record PlaceStep(Workload[] Batch, bool Filtered) : Step;

/// <summary>Releases the workload picked (modulo) from every name placed so far.</summary>
internal sealed record ReleaseStep(int Pick) : Step;

internal sealed record AddNodeStep(NodeSpec Node) : Step;

/// <summary>Removes the node picked (modulo) from the current nodes.</summary>
internal sealed record RemoveNodeStep(int Pick) : Step;

/// <summary>
/// Small random placement problems over a few keys and awkward quantities (±Infinity, -0, negatives,
/// 0.1/0.2/0.3), for the property tests.
/// </summary>
internal sealed record RandomScenario(StrategyKind Strategy, IReadOnlyDictionary<string, double>? Rubric, NodeSpec[] Nodes, Step[] Steps)
{
    public static readonly string[] Keys = ["cpu", "mem", "gpu", "tag", "ward"];

    /// <summary>A deterministic filter that refuses some (workload, node) pairs.</summary>
    public static string? TestFilter(Workload workload, string node)
        => (workload.Name[^1] + node[^1]) % 4 == 0 ? "are excluded by the test filter" : null;

    public Distributor CreateDistributor(PlacementTuning tuning) => Distributor.Create(Strategy, Nodes, Rubric, tuning);

    public ReferenceDistributor CreateReference() => new(Strategy, Nodes, Rubric);

    /// <summary>Every workload name the steps mention, for NodeOf checks and release picks.</summary>
    public IEnumerable<string> WorkloadNames => Steps.OfType<PlaceStep>().SelectMany(step => step.Batch).Select(workload => workload.Name);

    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Distributor.StrategyName(Strategy));
        if (Rubric is not null)
            text.Append(" rubric ").Append(Show(Rubric));
        text.AppendLine();
        foreach (var node in Nodes)
            text.Append("  node ").Append(node.Name).Append(' ').AppendLine(Show(node.Resources));
        foreach (var step in Steps)
        {
            text.Append("  ").AppendLine(step switch
            {
                PlaceStep place => (place.Filtered ? "place (filtered) " : "place ") + string.Join("; ", place.Batch.Select(Show)),
                ReleaseStep release => $"release #{release.Pick}",
                AddNodeStep add => $"add {add.Node.Name} {Show(add.Node.Resources)}",
                RemoveNodeStep remove => $"remove #{remove.Pick}",
                _ => step.ToString(),
            });
        }
        return text.ToString();
    }

    private static string Show(Workload workload)
    {
        var text = $"{workload.Name} {Show(workload.Requirements)}";
        if (workload.Immunities is { Count: > 0 } immune)
            text += " immune " + string.Join(",", immune);
        if (workload.AversionGroups is { Count: > 0 } groups)
            text += " averse " + string.Join(",", groups);
        return text;
    }

    private static string Show(IReadOnlyDictionary<string, double> map)
        => "{" + string.Join(", ", map.Select(entry => $"{entry.Key}: {entry.Value.ToString("R", CultureInfo.InvariantCulture)}")) + "}";
}

/// <summary>FsCheck generators for <see cref="RandomScenario"/>.</summary>
internal static class ScenarioGen
{
    private static readonly Gen<double> NodeQuantity = Gen.Frequency(
        (6, Gen.Elements(1.0, 2.0, 3.0, 8.0, 0.3)),
        (3, Gen.Elements(0.0, -0.0, 0.1, 0.2)),
        (2, Gen.Elements(-1.0, -0.5, double.NegativeInfinity)),
        (1, Gen.Elements(double.PositiveInfinity)));

    private static readonly Gen<double> Requirement = Gen.Frequency(
        (6, Gen.Elements(1.0, 2.0, 0.1, 0.2)),
        (2, Gen.Elements(0.0, -0.0, 3.0)),
        (1, Gen.Elements(-1.0, double.PositiveInfinity, double.NegativeInfinity)));

    private static readonly Gen<double> Weight = Gen.Elements(0.0, 1.0, 0.5, 2.0, -1.0, double.PositiveInfinity);

    // Nodes always have cpu and mem and sometimes more; workloads mostly ask for cpu and mem, so that most
    // scenarios place a good share of their workloads and every rule still gets its turn.
    private static readonly string[] CoreKeys = ["cpu", "mem"];
    private static readonly string[] RareKeys = ["gpu", "tag", "ward"];

    private static Gen<Dictionary<string, double>> Map(IEnumerable<string> keys, Gen<double> quantity) =>
        from values in Gen.ArrayOf(quantity, keys.Count())
        select Pair(keys, values);

    private static Dictionary<string, double> Pair(IEnumerable<string> keys, double[] values)
        => keys.Select((key, index) => (key, index)).ToDictionary(entry => entry.key, entry => values[entry.index]);

    public static Gen<NodeSpec> NodeNamed(string name) =>
        from rare in Gen.SubListOf(RareKeys)
        from resources in Map(CoreKeys.Concat(rare), NodeQuantity)
        select new NodeSpec(name, resources);

    public static readonly Gen<Workload> UnnamedWorkload =
        from core in Gen.SubListOf(CoreKeys)
        from rare in Gen.Frequency((3, Gen.Constant<IList<string>>([])), (1, Gen.SubListOf(RareKeys).Select(keys => (IList<string>)keys.ToList())))
        from requirements in Map(core.Concat(rare), Requirement)
        from immune in Gen.Frequency((3, Gen.Constant(Array.Empty<string>())), (1, Gen.SubListOf(RandomScenario.Keys).Select(keys => keys.ToArray())))
        from groups in Gen.Frequency((2, Gen.Constant(Array.Empty<string>())), (1, Gen.SubListOf(new[] { "g1", "g2" }).Select(keys => keys.ToArray())))
        select new Workload("?", requirements, immune.ToHashSet(), groups.ToHashSet());

    private static Gen<Step> StepGen(int maxBatch) => Gen.Frequency(
        (6, from size in Gen.Choose(1, maxBatch)
            from batch in Gen.ArrayOf(UnnamedWorkload, size)
            from filtered in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (Step)new PlaceStep(batch, filtered)),
        (2, Gen.Choose(0, 1000).Select(pick => (Step)new ReleaseStep(pick))),
        (2, NodeNamed("?").Select(node => (Step)new AddNodeStep(node))),
        (2, Gen.Choose(0, 1000).Select(pick => (Step)new RemoveNodeStep(pick))));

    /// <summary>Scenarios of up to <paramref name="maxNodes"/> initial nodes and <paramref name="maxSteps"/> steps.</summary>
    public static Gen<RandomScenario> Scenario(int maxNodes, int maxSteps, int maxBatch) =>
        from strategy in Gen.Elements(StrategyKind.Prioritized, StrategyKind.RoundRobin, StrategyKind.BinPack)
        from rubric in Gen.SubListOf(RandomScenario.Keys).Where(keys => keys.Count > 0)
            .SelectMany(keys => Gen.ArrayOf(Weight, keys.Count), (keys, weights) => Pair(keys, weights))
        from nodeCount in Gen.Choose(0, maxNodes)
        from nodes in Gen.ArrayOf(NodeNamed("?"), nodeCount)
        from stepCount in Gen.Choose(1, maxSteps)
        from steps in Gen.ArrayOf(StepGen(maxBatch), stepCount)
        select Name(new RandomScenario(strategy, strategy == StrategyKind.BinPack ? rubric : null, nodes, steps));

    // Declared after the generators they are built from (static initializers run in text order).
    /// <summary>A handful of nodes and steps: every rule and every strategy path, quick to check.</summary>
    public static Arbitrary<RandomScenario> Small { get; } = Arb.From(Scenario(maxNodes: 6, maxSteps: 8, maxBatch: 4));

    /// <summary>Enough nodes and churn for the search structures to split, compact and prune for real.</summary>
    public static Arbitrary<RandomScenario> Larger { get; } = Arb.From(Scenario(maxNodes: 40, maxSteps: 30, maxBatch: 12));

    /// <summary>
    /// Gives unique names: nodes get names whose ordinal order differs from their order of creation (bin-pack
    /// breaks ties by name), workloads are numbered.
    /// </summary>
    private static RandomScenario Name(RandomScenario scenario)
    {
        var nodeNumber = 0;
        var workloadNumber = 0;
        string NodeName() => $"{(char)('a' + nodeNumber * 7 % 26)}{nodeNumber++}";
        var nodes = scenario.Nodes.Select(node => node with { Name = NodeName() }).ToArray();
        var steps = scenario.Steps.Select(step => step switch
        {
            PlaceStep place => place with { Batch = place.Batch.Select(workload => workload with { Name = $"w{workloadNumber++}" }).ToArray() },
            AddNodeStep add => add with { Node = add.Node with { Name = NodeName() } },
            _ => step,
        }).ToArray();
        return scenario with { Nodes = nodes, Steps = steps };
    }
}
