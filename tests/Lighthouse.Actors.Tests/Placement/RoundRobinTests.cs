using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Where round-robin starts each search, across calls and as nodes come and go.</summary>
public sealed class RoundRobinTests
{
    private static NodeSpec Cpu(string name, double cpu) => Node(name, ("cpu", cpu));

    private static Workload Wants(string name, double cpu) => Load(name, ("cpu", cpu));

    [Fact]
    public void The_position_persists_across_calls_and_wraps()
    {
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 9), Cpu("c", 9));

        Assert.Equal("a b", distributor.PlaceAll(Wants("1", 1), Wants("2", 1)));
        Assert.Equal("c a", distributor.PlaceAll(Wants("3", 1), Wants("4", 1)));
    }

    [Fact]
    public void A_search_starts_after_the_taker_not_after_the_last_node_tried()
    {
        // "big" skips b (too small) and lands on c; the next search starts after c, at a.
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 1), Cpu("c", 9));

        Assert.Equal("a c a", distributor.PlaceAll(Wants("1", 2), Wants("big", 2), Wants("3", 2)));
    }

    [Fact]
    public void An_unplaced_workload_leaves_the_position_unchanged()
    {
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 9), Cpu("c", 9));

        Assert.Equal("a - b", distributor.PlaceAll(Wants("1", 1), Wants("huge", 100), Wants("2", 1)));
    }

    [Fact]
    public void The_search_wraps_once_to_nodes_before_the_start()
    {
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 1), Cpu("c", 1));

        Assert.Equal("a a a", distributor.PlaceAll(Wants("1", 2), Wants("2", 2), Wants("3", 2)));
    }

    [Fact]
    public void Both_aversion_passes_start_from_the_same_position()
    {
        // Once a, b and c all hold rivals (d is too small), a search starting at b finds no node free of
        // them; the second pass starts at b again, not at a.
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 9), Cpu("c", 9), Cpu("d", 0.5));
        Assert.Equal("a b c", distributor.PlaceAll(Wants("0", 1), Wants("r1", 1).Averse("g"), Wants("r2", 1).Averse("g")));
        Assert.True(distributor.Release("0"));
        Assert.Equal("a", distributor.PlaceOne(Wants("r3", 1).Averse("g"))); // d is too small; a has no rival
        Assert.Equal("b", distributor.PlaceOne(Wants("r4", 1).Averse("g")));
    }

    [Fact]
    public void Removing_the_taker_continues_with_the_node_that_followed_it()
    {
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 9), Cpu("c", 9), Cpu("d", 9));
        Assert.Equal("a b", distributor.PlaceAll(Wants("1", 1), Wants("2", 1)));

        distributor.RemoveNode("b");

        Assert.Equal("c", distributor.PlaceOne(Wants("3", 1)));
    }

    [Fact]
    public void The_position_survives_compaction_of_removed_nodes()
    {
        // Removing most nodes compacts the node order; the start must still be just after the taker.
        var nodes = Enumerable.Range(0, 200).Select(index => Cpu($"n{index:D3}", 9)).ToArray();
        var distributor = RoundRobin(nodes);
        for (var index = 0; index < 151; index++)
            distributor.PlaceOne(Wants($"w{index}", 1));   // taker: n150
        foreach (var node in nodes.Where(node => node.Name != "n010" && node.Name != "n150" && node.Name != "n160"))
            distributor.RemoveNode(node.Name);

        Assert.Equal(["n010", "n150", "n160"], distributor.Nodes);
        Assert.Equal("n160 n010 n150", distributor.PlaceAll(Wants("x", 1), Wants("y", 1), Wants("z", 1)));
    }

    [Fact]
    public void The_position_survives_compaction_when_the_taker_left()
    {
        var nodes = Enumerable.Range(0, 200).Select(index => Cpu($"n{index:D3}", 9)).ToArray();
        var distributor = RoundRobin(nodes);
        for (var index = 0; index < 151; index++)
            distributor.PlaceOne(Wants($"w{index}", 1));   // taker: n150, which leaves
        foreach (var node in nodes.Where(node => node.Name != "n010" && node.Name != "n160"))
            distributor.RemoveNode(node.Name);

        Assert.Equal("n160 n010", distributor.PlaceAll(Wants("x", 1), Wants("y", 1)));
    }

    [Fact]
    public void A_node_added_after_the_taker_is_next()
    {
        var distributor = RoundRobin(Cpu("a", 9), Cpu("b", 9));
        Assert.Equal("a b", distributor.PlaceAll(Wants("1", 1), Wants("2", 1)));

        distributor.AddNode(Cpu("c", 9));

        Assert.Equal("c a", distributor.PlaceAll(Wants("3", 1), Wants("4", 1)));
    }
}
