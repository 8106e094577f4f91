using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Aversion groups: prefer a node without a workload of the same group, but never refuse for it.</summary>
public sealed class AversionTests
{
    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Rivals_spread_while_there_is_room_then_share(StrategyKind strategy)
    {
        var distributor = Create(strategy, Node("a", ("cpu", 9)), Node("b", ("cpu", 9)));

        var placed = distributor.Place(
        [
            Load("r1", ("cpu", 1)).Averse("rivals"),
            Load("r2", ("cpu", 1)).Averse("rivals"),
            Load("r3", ("cpu", 1)).Averse("rivals"),
        ]).Assignments;

        Assert.NotEqual(placed[0], placed[1]);
        Assert.All(placed, Assert.NotNull);
    }

    [Fact]
    public void A_conflicting_node_is_passed_over_for_a_later_one_in_the_order()
    {
        var distributor = Prioritized(Node("a", ("cpu", 9)), Node("b", ("cpu", 9)), Node("c", ("cpu", 9)));

        Assert.Equal("a a b", distributor.PlaceAll(
            Load("plain", ("cpu", 1)),
            Load("r1", ("cpu", 1)).Averse("g"),
            Load("r2", ("cpu", 1)).Averse("g")));
    }

    [Fact]
    public void Any_shared_group_conflicts_and_different_groups_do_not()
    {
        var distributor = Prioritized(Node("a", ("cpu", 9)), Node("b", ("cpu", 9)));

        Assert.Equal("a a b", distributor.PlaceAll(
            Load("x", ("cpu", 1)).Averse("g1", "g2"),
            Load("y", ("cpu", 1)).Averse("g3"),
            Load("z", ("cpu", 1)).Averse("g2", "g4")));
    }

    [Fact]
    public void A_node_that_does_not_fit_is_not_chosen_to_avoid_a_conflict()
    {
        var distributor = Prioritized(Node("a", ("cpu", 9)), Node("small", ("cpu", 0.5)));

        Assert.Equal("a a", distributor.PlaceAll(Load("r1", ("cpu", 1)).Averse("g"), Load("r2", ("cpu", 1)).Averse("g")));
    }

    [Fact]
    public void Releasing_a_rival_frees_its_node_of_the_conflict()
    {
        var distributor = Prioritized(Node("a", ("cpu", 9)), Node("b", ("cpu", 9)));
        Assert.Equal("a b", distributor.PlaceAll(Load("r1", ("cpu", 1)).Averse("g"), Load("r2", ("cpu", 1)).Averse("g")));

        distributor.Release("r1");

        Assert.Equal("a", distributor.PlaceOne(Load("r3", ("cpu", 1)).Averse("g")));
    }

    [Fact]
    public void When_every_node_holds_a_rival_the_first_fitting_node_is_shared()
    {
        var distributor = Prioritized(Node("a", ("cpu", 1)), Node("b", ("cpu", 9)), Node("c", ("cpu", 9)));
        Assert.Equal("a b c", distributor.PlaceAll(
            Load("r1", ("cpu", 1)).Averse("g"), Load("r2", ("cpu", 1)).Averse("g"), Load("r3", ("cpu", 1)).Averse("g")));

        Assert.Equal("b", distributor.PlaceOne(Load("r4", ("cpu", 1)).Averse("g")));
    }
}
