using FsCheck;
using FsCheck.Fluent;
using Lighthouse.Placement;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Laws of the engine checked on random scenarios (FsCheck).</summary>
public sealed class PropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void A_fit_never_leaves_a_quantity_the_workload_is_not_immune_to_negative()
        => Check.One(Runs, Prop.ForAll(ScenarioGen.Small, scenario =>
        {
            var distributor = scenario.CreateDistributor(PlacementTuning.Default);
            foreach (var workload in scenario.Steps.OfType<PlaceStep>().SelectMany(step => step.Batch))
            {
                if (distributor.PlaceOne(workload) is not { } node)
                    continue;
                var immune = workload.Immunities ?? new HashSet<string>();
                foreach (var (key, quantity) in distributor.Remaining(node))
                    Assert.True(quantity >= 0 || immune.Contains(key), $"{workload.Name} left {key} = {quantity} on {node}");
            }
        }));

    [Fact]
    public void Releasing_in_any_order_keeps_the_definition_and_finally_restores_the_originals_bit_for_bit()
    {
        var scenarios =
            from scenario in ScenarioGen.Small.Generator
            from seed in Gen.Choose(0, int.MaxValue)
            select (scenario, seed);
        Check.One(Runs, Prop.ForAll(Arb.From(scenarios), pair =>
        {
            var (scenario, seed) = pair;
            var distributor = scenario.CreateDistributor(PlacementTuning.Default);
            var workloads = scenario.Steps.OfType<PlaceStep>().SelectMany(step => step.Batch).ToList();
            foreach (var step in scenario.Steps.OfType<PlaceStep>())
                distributor.Place(step.Batch);
            var placed = workloads.Where(workload => distributor.NodeOf(workload.Name) is not null).ToList();
            var shuffled = placed.OrderBy(_ => 0).ToArray();
            new Random(seed).Shuffle(shuffled);

            foreach (var workload in shuffled)
            {
                var node = distributor.NodeOf(workload.Name)!;
                Assert.True(distributor.Release(workload.Name));
                // The definition: original quantities minus the requirements still on the node, in placement order.
                var expected = new Dictionary<string, double>(scenario.Nodes.Single(spec => spec.Name == node).Resources);
                foreach (var still in distributor.WorkloadsOn(node))
                {
                    foreach (var (key, amount) in workloads.Single(candidate => candidate.Name == still).Requirements)
                        expected[key] -= amount;
                }
                Assert.Equal(ReferenceAgreementTests.Bits(expected), ReferenceAgreementTests.Bits(distributor.Remaining(node)));
            }
            foreach (var spec in scenario.Nodes)
                Assert.Equal(ReferenceAgreementTests.Bits(spec.Resources), ReferenceAgreementTests.Bits(distributor.Remaining(spec.Name)));
        }));
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
        => Check.One(Runs, Prop.ForAll(ScenarioGen.Small, scenario =>
        {
            Assert.Equal(Transcript(scenario), Transcript(scenario));
        }));

    [Fact]
    public void Adding_a_non_negative_key_never_unfits_a_workload_that_does_not_require_it()
    {
        var cases =
            from node in ScenarioGen.NodeNamed("n")
            from workload in ScenarioGen.UnnamedWorkload
            from quantity in Gen.Elements(0.0, -0.0, 0.5, 1.0, 8.0, double.PositiveInfinity)
            from strategy in Gen.Elements(StrategyKind.Prioritized, StrategyKind.RoundRobin, StrategyKind.BinPack)
            let key = "extra"
            select (node, workload, key, quantity, strategy);
        Check.One(Runs, Prop.ForAll(Arb.From(cases), testCase =>
        {
            var (node, workload, key, quantity, strategy) = testCase;
            var richer = node with { Resources = new Dictionary<string, double>(node.Resources) { [key] = quantity } };

            var before = Build.Create(strategy, node).PlaceOne(workload);
            var after = Build.Create(strategy, richer).PlaceOne(workload);

            if (before is not null)
                Assert.Equal(before, after);
        }));
    }

    /// <summary>Everything observable from running a scenario, as text.</summary>
    private static List<string> Transcript(RandomScenario scenario)
    {
        var distributor = scenario.CreateDistributor(PlacementTuning.Default);
        var transcript = new List<string>();
        var placed = new List<string>();
        foreach (var step in scenario.Steps)
        {
            switch (step)
            {
                case PlaceStep place:
                    var result = distributor.Place(place.Batch, place.Filtered ? RandomScenario.TestFilter : null);
                    transcript.Add(Build.Show(result.Assignments));
                    transcript.AddRange(result.Unplaced.Select(entry => $"{entry.Key}: {entry.Value}"));
                    placed.AddRange(place.Batch.Select(workload => workload.Name));
                    break;
                case ReleaseStep release when placed.Count > 0:
                    transcript.Add($"release {distributor.Release(placed[release.Pick % placed.Count])}");
                    break;
                case AddNodeStep add:
                    distributor.AddNode(add.Node);
                    break;
                case RemoveNodeStep remove when distributor.Nodes.Count > 0:
                    transcript.Add(string.Join(",", distributor.RemoveNode(distributor.Nodes[remove.Pick % distributor.Nodes.Count])!));
                    break;
            }
        }
        foreach (var node in distributor.Nodes)
            transcript.AddRange(ReferenceAgreementTests.Bits(distributor.Remaining(node)).Prepend(node));
        return transcript;
    }
}
