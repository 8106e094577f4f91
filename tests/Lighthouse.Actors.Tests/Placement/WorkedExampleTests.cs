using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>The worked cases of issue 2, each a small story with a known answer.</summary>
public sealed class WorkedExampleTests
{
    private static NodeSpec[] ThreeNodes() =>
    [
        Node("node-1", ("cpu", 8), ("mem", 8), ("disk", 80)),
        Node("node-2", ("cpu", 8), ("mem", 8), ("disk", 80)),
        Node("node-3", ("cpu", 8), ("mem", 8), ("disk", 60)),
    ];

    private static Workload[] ThreeLoads() =>
    [
        Load("w1", ("cpu", 2), ("mem", 2), ("disk", 10)),
        Load("w2", ("cpu", 2), ("mem", 2), ("disk", 10)),
        Load("w3", ("cpu", 2), ("mem", 2), ("disk", 10)),
    ];

    [Fact]
    public void Prioritized_puts_every_load_on_the_first_node_that_fits()
    {
        var distributor = Prioritized(ThreeNodes());

        Assert.Equal("node-1 node-1 node-1", distributor.PlaceAll(ThreeLoads()));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 2, ["mem"] = 2, ["disk"] = 50 }, distributor.Remaining("node-1"));
    }

    [Fact]
    public void Round_robin_moves_one_node_on_after_each_placement()
    {
        var distributor = RoundRobin(ThreeNodes());

        Assert.Equal("node-1 node-2 node-3", distributor.PlaceAll(ThreeLoads()));
    }

    [Fact]
    public void Bin_pack_fills_the_tightest_node()
    {
        // Scores: node-1 and node-2 8 + 4 + 2 = 14, node-3 8 + 4 + 1.5 = 13.5; a load scores 3.5.
        var distributor = BinPack(Rubric(("cpu", 1), ("mem", 0.5), ("disk", 0.025)), ThreeNodes());

        Assert.Equal("node-3 node-3 node-3", distributor.PlaceAll(ThreeLoads()));
    }

    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void A_princess_marries_only_the_first_prince(StrategyKind strategy)
    {
        // The princess is a node offering one "wife"; each prince requires one.
        var distributor = Create(strategy, Node("princess", ("wife", 1)));

        var result = distributor.Place(
        [
            Load("prince-1", ("wife", 1)),
            Load("prince-2", ("wife", 1)),
            Load("prince-3", ("wife", 1)),
        ]);

        Assert.Equal("princess - -", Show(result.Assignments));
        Assert.Equal("0/1 nodes fit: 1 has too little \"wife\"", result.Unplaced["prince-2"].ToString());
        Assert.Equal(0, distributor.Remaining("princess")["wife"]);
    }

    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Rival_students_go_to_different_houses(StrategyKind strategy)
    {
        var distributor = Create(strategy, Node("gryffindor", ("bed", 10)), Node("slytherin", ("bed", 10)));

        var houses = distributor.PlaceAll(
            Load("harry", ("bed", 1)).Averse("rivalry"),
            Load("draco", ("bed", 1)).Averse("rivalry"));

        Assert.True(houses is "gryffindor slytherin" or "slytherin gryffindor", houses);
    }

    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Rival_students_share_the_only_house(StrategyKind strategy)
    {
        var distributor = Create(strategy, Node("hogwarts", ("bed", 10)));

        var houses = distributor.PlaceAll(
            Load("harry", ("bed", 1)).Averse("rivalry"),
            Load("draco", ("bed", 1)).Averse("rivalry"));

        Assert.Equal("hogwarts hogwarts", houses);
    }

    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Binary_doubles_take_a_tenth_then_refuse_two_tenths(StrategyKind strategy)
    {
        // 0.3 - 0.1 = 0.19999999999999998 < 0.2: double arithmetic, as users of the reference know it.
        var distributor = Create(strategy, Node("n", ("cpu", 0.3)));

        Assert.Equal("n", distributor.PlaceOne(Load("tenth", ("cpu", 0.1))));
        // Every strategy names the fit rule, bin-pack included (its score skip is named only for nodes that fit).
        Assert.Equal("0/1 nodes fit: 1 has too little \"cpu\"", distributor.Why(Load("fifth", ("cpu", 0.2))));
        Assert.Equal(0.3 - 0.1, distributor.Remaining("n")["cpu"]);
    }
}
