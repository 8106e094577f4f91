using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>
/// The engine interns only the keys nodes offer (and the rubric's): whatever a submission names, required keys,
/// immunities or aversion groups, leaves its tables as they were, so no caller can grow them for good.
/// </summary>
public sealed class KeyLearningTests
{
    [Theory]
    [InlineData(StrategyKind.Prioritized)]
    [InlineData(StrategyKind.RoundRobin)]
    [InlineData(StrategyKind.BinPack)]
    public void Keys_only_workloads_name_are_never_learnt(StrategyKind strategy)
    {
        var distributor = (DistributorCore)Create(strategy, Node("a", ("cpu", 4), ("gpu", 1)), Node("b", ("cpu", 4)));
        var known = distributor.KnownKeys;

        for (var i = 0; i < 5_000; i++)
        {
            var placed = distributor.Place([Load($"fits-{i}", ("cpu", 1)).Immune($"immune-{i}").Averse($"group-{i}")]);
            Assert.NotNull(placed.Assignments[0]);
            Assert.True(distributor.Release($"fits-{i}"));
            Assert.Null(distributor.PlaceOne(Load($"waits-{i}", ("cpu", 1), ($"missing-{i}", 1))));
        }

        Assert.Equal(known, distributor.KnownKeys);
        Assert.Equal("a", distributor.PlaceOne(Load("gpu-task", ("gpu", 1))));
    }

    [Fact]
    public void Keys_a_node_offers_are_learnt()
    {
        var distributor = (DistributorCore)Prioritized(Node("a", ("cpu", 4)));
        var known = distributor.KnownKeys;

        distributor.AddNode(Node("b", ("cpu", 4), ("fpga", 1), ("licence:x", 2)));

        Assert.Equal(known + 2, distributor.KnownKeys);
        Assert.Equal("b", distributor.PlaceOne(Load("t", ("fpga", 1))));
    }
}
