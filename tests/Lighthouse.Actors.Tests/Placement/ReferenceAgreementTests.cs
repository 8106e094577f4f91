using FsCheck;
using FsCheck.Fluent;
using Lighthouse.Placement;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>
/// The indexed engine (blocked node orders with packed copies, refuted-query memos, lazily tracked keys,
/// explanations read from the blocks and reused while nothing changes, node-list compaction) must decide
/// exactly what the plain <see cref="ReferenceDistributor"/> decides: same nodes, same explanations, same
/// quantities to the bit, after every step of random scenarios. Run with tiny tuning too, so that small
/// scenarios split and merge blocks, compact the node list and hit the tracked-key cap.
/// </summary>
public sealed class ReferenceAgreementTests
{
    // Tiny blocks that split and merge all the time, with every key tracked (explanations read from the
    // blocks) or with only two tracked (explanations read from the nodes).
    private static readonly PlacementTuning[] Tunings =
    [
        PlacementTuning.Default,
        new(BlockCapacity: 4, CompactionMinimum: 1, MaxTrackedKeys: 64),
        new(BlockCapacity: 4, CompactionMinimum: 1, MaxTrackedKeys: 2),
    ];

    [Fact]
    public void Small_scenarios_agree_with_the_reference()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(ScenarioGen.Small, scenario =>
        {
            foreach (var tuning in Tunings)
                Agree(scenario, tuning);
        }));

    [Fact]
    public void Larger_scenarios_agree_with_the_reference()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(ScenarioGen.Larger, scenario =>
        {
            foreach (var tuning in Tunings)
                Agree(scenario, tuning);
        }));

    [Fact]
    public void Many_task_tags_beyond_the_tracked_keys_agree_with_the_reference()
    {
        // The scheduler's shape: every worker carries a zero tag per task name it handles (200 names here,
        // far more than the 64 tracked keys), every task requires its tag, workers come and go, tasks end.
        var random = new Random(7);
        string Tag(int task) => $"task-{task:D3}";
        NodeSpec Worker(string name)
        {
            var resources = new Dictionary<string, double> { ["cpu"] = random.Next(2, 9), ["mem"] = random.Next(4, 33) };
            foreach (var task in Enumerable.Range(0, 20).Select(_ => random.Next(200)).Distinct())
                resources[Tag(task)] = 0;
            return new NodeSpec(name, resources);
        }
        var workers = Enumerable.Range(0, 60).Select(index => Worker($"worker-{index:D2}")).ToArray();
        var steps = new List<Step>();
        for (var index = 0; index < 600; index++)
        {
            var requirements = new Dictionary<string, double> { ["cpu"] = random.Next(1, 3), ["mem"] = random.Next(1, 5), [Tag(random.Next(200))] = 0 };
            steps.Add(new PlaceStep([new Workload($"t{index}", requirements)], Filtered: index % 5 == 0));
            if (index % 3 == 0)
                steps.Add(new ReleaseStep(random.Next(1000)));
            if (index % 50 == 0)
                steps.Add(new RemoveNodeStep(random.Next(1000)));
            if (index % 50 == 25)
                steps.Add(new AddNodeStep(Worker($"late-{index}")));
        }
        foreach (var strategy in new[] { StrategyKind.Prioritized, StrategyKind.RoundRobin, StrategyKind.BinPack })
        {
            var rubric = strategy == StrategyKind.BinPack ? new Dictionary<string, double> { ["cpu"] = 1, ["mem"] = 0.25 } : null;
            Agree(new RandomScenario(strategy, rubric, workers, steps.ToArray()), PlacementTuning.Default, stateEvery: 40);
        }
    }

    /// <summary>
    /// Runs the scenario on both, comparing every result, and the whole state (quantities, workloads per node,
    /// node of every workload) after every <paramref name="stateEvery"/> steps and at the end.
    /// </summary>
    internal static void Agree(RandomScenario scenario, PlacementTuning tuning, int stateEvery = 1)
    {
        var engine = scenario.CreateDistributor(tuning);
        var reference = scenario.CreateReference();
        var placedNames = new List<string>();
        var step = 0;
        SameState(engine, reference, scenario, step);
        foreach (var action in scenario.Steps)
        {
            step++;
            switch (action)
            {
                case PlaceStep place:
                    var filter = place.Filtered ? RandomScenario.TestFilter : (NodeFilter?)null;
                    var result = engine.Place(place.Batch, filter);
                    var expected = reference.Place(place.Batch, filter);
                    Assert.Equal(Build.Show(expected.Assignments), Build.Show(result.Assignments));
                    Assert.Equal(
                        expected.Unplaced.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}: {entry.Value}"),
                        result.Unplaced.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}: {entry.Value}"));
                    placedNames.AddRange(place.Batch.Select(workload => workload.Name));
                    break;
                case ReleaseStep release when placedNames.Count > 0:
                    var name = placedNames[release.Pick % placedNames.Count];
                    Assert.Equal(reference.Release(name), engine.Release(name));
                    break;
                case AddNodeStep add:
                    engine.AddNode(add.Node);
                    reference.AddNode(add.Node);
                    break;
                case RemoveNodeStep remove when reference.Nodes.Count > 0:
                    var node = reference.Nodes[remove.Pick % reference.Nodes.Count];
                    Assert.Equal(reference.RemoveNode(node), engine.RemoveNode(node));
                    break;
            }
            if (step % stateEvery == 0 || step == scenario.Steps.Length)
                SameState(engine, reference, scenario, step);
        }
    }

    private static void SameState(Distributor engine, ReferenceDistributor reference, RandomScenario scenario, int step)
    {
        Assert.Equal(reference.Nodes, engine.Nodes);
        foreach (var node in reference.Nodes)
        {
            Assert.Equal(Bits(reference.Remaining(node)), Bits(engine.Remaining(node)));
            Assert.Equal(reference.WorkloadsOn(node), engine.WorkloadsOn(node));
        }
        foreach (var workload in scenario.WorkloadNames)
            Assert.True(reference.NodeOf(workload) == engine.NodeOf(workload), $"step {step}: node of {workload}");
    }

    /// <summary>Quantities as exact bit patterns (so -0 differs from 0), in ordinal key order.</summary>
    internal static IEnumerable<string> Bits(IReadOnlyDictionary<string, double> quantities)
        => quantities.OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key}={BitConverter.DoubleToInt64Bits(entry.Value):X16}({entry.Value})");
}
