using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Bad input is refused with a message naming the item, and a refused call changes nothing.</summary>
public sealed class ErrorTests
{
    private static string Refusal(Action action) => Assert.Throws<PlacementException>(action).Message;

    [Fact]
    public void Duplicate_node_names_are_refused()
        => Assert.Equal("duplicate node name \"n\"", Refusal(() => Prioritized(Node("n", ("cpu", 1)), Node("m"), Node("n"))));

    [Fact]
    public void A_NaN_quantity_is_refused_naming_node_and_key()
        => Assert.Equal("node \"n\": quantity of \"cpu\" is NaN", Refusal(() => Prioritized(Node("n", ("cpu", double.NaN)))));

    [Fact]
    public void A_nameless_or_null_node_is_refused_by_position()
    {
        Assert.Equal("node #1 has no name", Refusal(() => Prioritized(Node("a"), Node(""))));
        Assert.Equal("node #0 is null", Refusal(() => Distributor.Create(StrategyKind.Prioritized, [null!])));
    }

    [Fact]
    public void Bin_pack_without_a_rubric_is_refused()
        => Assert.Equal("strategy bin-pack needs a rubric (resource name → weight)",
            Refusal(() => Distributor.Create(StrategyKind.BinPack, [Node("n")])));

    [Theory]
    [InlineData(StrategyKind.Prioritized, "prioritized")]
    [InlineData(StrategyKind.RoundRobin, "round-robin")]
    public void A_rubric_for_a_strategy_that_takes_none_is_refused(StrategyKind strategy, string name)
        => Assert.Equal($"strategy {name} takes no rubric (only bin-pack does)",
            Refusal(() => Distributor.Create(strategy, [Node("n")], Rubric(("cpu", 1)))));

    [Fact]
    public void A_NaN_weight_is_refused_naming_the_key()
        => Assert.Equal("rubric: weight of \"mem\" is NaN",
            Refusal(() => Distributor.Create(StrategyKind.BinPack, [Node("n")], Rubric(("cpu", 1), ("mem", double.NaN)))));

    [Theory]
    [InlineData("prioritized", StrategyKind.Prioritized)]
    [InlineData("round-robin", StrategyKind.RoundRobin)]
    [InlineData("bin-pack", StrategyKind.BinPack)]
    public void Strategy_names_parse_and_print(string name, StrategyKind strategy)
    {
        Assert.Equal(strategy, Distributor.ParseStrategy(name));
        Assert.Equal(name, Distributor.StrategyName(strategy));
    }

    [Theory]
    [InlineData("best-fit")]
    [InlineData("Prioritized")]
    [InlineData("round_robin")]
    [InlineData("")]
    public void An_unknown_strategy_is_refused_by_name(string name)
        => Assert.Equal($"unknown strategy \"{name}\": expected prioritized, round-robin or bin-pack", Refusal(() => Distributor.ParseStrategy(name)));

    [Fact]
    public void An_undefined_strategy_value_is_refused()
        => Assert.Equal("unknown strategy 7", Refusal(() => Distributor.Create((StrategyKind)7, [])));

    [Fact]
    public void Duplicate_workload_names_in_a_batch_are_refused_and_nothing_is_placed()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));

        Assert.Equal("workload \"w\" appears twice in the batch (items 0 and 2)",
            Refusal(() => distributor.Place([Load("w", ("cpu", 1)), Load("v", ("cpu", 1)), Load("w", ("cpu", 1))])));
        AssertUntouched(distributor);
    }

    [Fact]
    public void A_workload_already_placed_is_refused_and_nothing_else_is_placed()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));
        distributor.PlaceOne(Load("w", ("cpu", 1)));

        Assert.Equal("workload \"w\" is already placed on node \"n\"",
            Refusal(() => distributor.Place([Load("v", ("cpu", 1)), Load("w", ("cpu", 1))])));
        Assert.Equal(8, distributor.Remaining("n")["cpu"]);
        Assert.Equal(["w"], distributor.WorkloadsOn("n"));
    }

    [Fact]
    public void A_released_workload_may_be_placed_again()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));
        distributor.PlaceOne(Load("w", ("cpu", 1)));
        distributor.Release("w");

        Assert.Equal("n", distributor.PlaceOne(Load("w", ("cpu", 1))));
    }

    [Fact]
    public void A_NaN_requirement_is_refused_naming_workload_and_key_and_nothing_is_placed()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));

        Assert.Equal("workload \"bad\": requirement \"mem\" is NaN",
            Refusal(() => distributor.Place([Load("good", ("cpu", 1)), Load("bad", ("cpu", 1), ("mem", double.NaN))])));
        AssertUntouched(distributor);
    }

    [Fact]
    public void Nameless_and_null_workloads_are_refused_by_position()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));

        Assert.Equal("batch item 1 has no name", Refusal(() => distributor.Place([Load("a"), Load("")])));
        Assert.Equal("batch item 0 is null", Refusal(() => distributor.Place([null!])));
        AssertUntouched(distributor);
    }

    [Fact]
    public void A_null_immunity_or_group_is_refused()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));

        Assert.Equal("workload \"w\": an immunity is null", Refusal(() => distributor.Place([Load("w").Immune([null!])])));
        Assert.Equal("workload \"w\": an aversion group is null", Refusal(() => distributor.Place([Load("w").Averse([null!])])));
    }

    [Fact]
    public void Adding_a_duplicate_or_NaN_node_is_refused_and_changes_nothing()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));

        Assert.Equal("duplicate node name \"n\"", Refusal(() => distributor.AddNode(Node("n"))));
        Assert.Equal("node \"m\": quantity of \"gpu\" is NaN", Refusal(() => distributor.AddNode(Node("m", ("gpu", double.NaN)))));
        Assert.Equal(["n"], distributor.Nodes);
    }

    [Fact]
    public void Unknown_nodes_are_reported_by_name()
    {
        var distributor = Prioritized(Node("n"));

        Assert.Equal("no node named \"ghost\"", Assert.Throws<KeyNotFoundException>(() => distributor.Remaining("ghost")).Message);
        Assert.Equal("no node named \"ghost\"", Assert.Throws<KeyNotFoundException>(() => distributor.WorkloadsOn("ghost")).Message);
        Assert.Null(distributor.RemoveNode("ghost"));
        Assert.False(distributor.Release("ghost"));
        Assert.Null(distributor.NodeOf("ghost"));
    }

    private static void AssertUntouched(Distributor distributor)
    {
        Assert.Equal(9, distributor.Remaining("n")["cpu"]);
        Assert.Empty(distributor.WorkloadsOn("n"));
    }
}
