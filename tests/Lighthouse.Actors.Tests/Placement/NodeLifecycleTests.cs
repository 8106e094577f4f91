using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>State across calls: release, nodes joining and leaving, and what can be asked of a distributor.</summary>
public sealed class NodeLifecycleTests
{
    [Fact]
    public void Release_gives_back_exactly_what_was_taken()
    {
        var distributor = Prioritized(Node("n", ("cpu", 0.3), ("mem", 1)));
        distributor.PlaceOne(Load("a", ("cpu", 0.1)));
        distributor.PlaceOne(Load("b", ("cpu", 0.1), ("mem", 0.5)));

        Assert.True(distributor.Release("a"));

        // Not (0.3 - 0.1 - 0.1) + 0.1, but the definition: 0.3 minus the requirements still here.
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.3 - 0.1), BitConverter.DoubleToInt64Bits(distributor.Remaining("n")["cpu"]));
        Assert.True(distributor.Release("b"));
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.3), BitConverter.DoubleToInt64Bits(distributor.Remaining("n")["cpu"]));
        Assert.Equal(1, distributor.Remaining("n")["mem"]);
    }

    [Fact]
    public void Release_undoes_an_infinite_subtraction()
    {
        var distributor = Prioritized(Node("n", ("cpu", 2)));
        distributor.PlaceOne(Load("donor", ("cpu", double.NegativeInfinity)));
        distributor.PlaceOne(Load("big", ("cpu", 1e300)));

        distributor.Release("donor");

        Assert.Equal(2 - 1e300, distributor.Remaining("n")["cpu"]);
    }

    [Fact]
    public void Release_of_an_unknown_or_released_workload_is_false()
    {
        var distributor = Prioritized(Node("n", ("cpu", 2)));
        distributor.PlaceOne(Load("w", ("cpu", 1)));

        Assert.True(distributor.Release("w"));
        Assert.False(distributor.Release("w"));
        Assert.Null(distributor.NodeOf("w"));
    }

    [Fact]
    public void An_added_node_takes_work_and_comes_last_in_the_order()
    {
        var distributor = Prioritized(Node("a", ("cpu", 1)));
        Assert.Null(distributor.PlaceOne(Load("w1", ("cpu", 2))));

        distributor.AddNode(Node("b", ("cpu", 4), ("gpu", 1)));

        Assert.Equal(["a", "b"], distributor.Nodes);
        Assert.Equal("b", distributor.PlaceOne(Load("w1", ("cpu", 2))));
        Assert.Equal("b", distributor.PlaceOne(Load("w2", ("gpu", 1))));
    }

    [Fact]
    public void A_removed_node_hands_back_its_workloads_which_are_no_longer_placed()
    {
        var distributor = Prioritized(Node("a", ("cpu", 2)), Node("b", ("cpu", 2)));
        Assert.Equal("a a b", distributor.PlaceAll(Load("1", ("cpu", 1)), Load("2", ("cpu", 1)), Load("3", ("cpu", 1))));

        Assert.Equal(["1", "2"], distributor.RemoveNode("a"));

        Assert.Equal(["b"], distributor.Nodes);
        Assert.Null(distributor.NodeOf("1"));
        Assert.False(distributor.Release("1"));
        Assert.Equal("b", distributor.PlaceOne(Load("1", ("cpu", 1))));
        Assert.Throws<KeyNotFoundException>(() => distributor.Remaining("a"));
    }

    [Fact]
    public void A_removed_node_can_come_back_with_its_original_quantities()
    {
        var distributor = Prioritized(Node("a", ("cpu", 2)));
        distributor.PlaceOne(Load("1", ("cpu", 2)));
        distributor.RemoveNode("a");

        distributor.AddNode(Node("a", ("cpu", 2)));

        Assert.Equal(2, distributor.Remaining("a")["cpu"]);
        Assert.Empty(distributor.WorkloadsOn("a"));
    }

    [Fact]
    public void Removing_a_node_forgets_the_rivals_it_held()
    {
        var distributor = Prioritized(Node("a", ("cpu", 9)), Node("b", ("cpu", 9)));
        distributor.PlaceOne(Load("r1", ("cpu", 1)).Averse("g"));
        distributor.RemoveNode("a");
        distributor.AddNode(Node("c", ("cpu", 9)));

        // b is free of rivals and first in the order.
        Assert.Equal("b", distributor.PlaceOne(Load("r2", ("cpu", 1)).Averse("g")));
        Assert.Equal("c", distributor.PlaceOne(Load("r3", ("cpu", 1)).Averse("g")));
    }

    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Heavy_churn_keeps_every_strategy_consistent(StrategyKind strategy)
    {
        // Nodes come and go in their hundreds (compacting the node order); every placement must land on a
        // node that exists and had room, and every released quantity comes back.
        var distributor = Create(strategy, Enumerable.Range(0, 300).Select(index => Node($"n{index}", ("cpu", 4))).ToArray());
        var live = Enumerable.Range(0, 300).Select(index => $"n{index}").ToHashSet();
        var next = 300;
        for (var round = 0; round < 20; round++)
        {
            foreach (var node in live.Where((_, index) => index % 3 == round % 3).ToList())
            {
                distributor.RemoveNode(node);
                live.Remove(node);
            }
            for (var added = 0; added < 80; added++)
            {
                distributor.AddNode(Node($"n{next}", ("cpu", 4)));
                live.Add($"n{next++}");
            }
            for (var index = 0; index < 50; index++)
            {
                var node = distributor.PlaceOne(Load($"r{round}-{index}", ("cpu", 3)));
                Assert.NotNull(node);
                Assert.Contains(node, live);
            }
            Assert.Equal(live.Order(StringComparer.Ordinal), distributor.Nodes.Order(StringComparer.Ordinal));
        }
        foreach (var node in distributor.Nodes)
        {
            foreach (var workload in distributor.WorkloadsOn(node))
                Assert.True(distributor.Release(workload));
            Assert.Equal(4, distributor.Remaining(node)["cpu"]);
        }
    }

    [Fact]
    public void Remaining_lists_every_key_in_declared_order()
    {
        var distributor = Prioritized(Node("n", ("zeta", 1), ("alpha", 2), ("mid", double.NegativeInfinity)));

        Assert.Equal(["zeta", "alpha", "mid"], distributor.Remaining("n").Keys);
    }

    [Fact]
    public void Workloads_on_a_node_are_listed_in_placement_order()
    {
        var distributor = Prioritized(Node("n", ("cpu", 9)));
        distributor.PlaceAll(Load("z"), Load("a"), Load("m"));
        distributor.Release("a");

        Assert.Equal(["z", "m"], distributor.WorkloadsOn("n"));
        Assert.Equal("n", distributor.NodeOf("m"));
    }

    [Fact]
    public void A_distributor_reports_its_strategy_and_nodes()
    {
        var distributor = Create(StrategyKind.RoundRobin, Node("b"), Node("a"));

        Assert.Equal(StrategyKind.RoundRobin, distributor.Strategy);
        Assert.Equal(["b", "a"], distributor.Nodes);
    }
}
