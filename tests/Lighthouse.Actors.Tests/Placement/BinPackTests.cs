using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>Bin-pack: scores, batch order, node order, skipping, re-scoring.</summary>
public sealed class BinPackTests
{
    private static readonly Dictionary<string, double> CpuOnly = Rubric(("cpu", 1));

    [Fact]
    public void Heavier_workloads_of_a_batch_go_first_but_results_stay_in_input_order()
    {
        // small first in input order would take "tight" (score 3) and leave big nowhere to go;
        // placed heaviest first, big takes tight and small takes roomy.
        var distributor = BinPack(CpuOnly, Node("tight", ("cpu", 3)), Node("roomy", ("cpu", 10)));

        Assert.Equal("roomy tight", distributor.PlaceAll(Load("small", ("cpu", 1)), Load("big", ("cpu", 3))));
    }

    [Fact]
    public void Equal_scores_keep_input_order()
    {
        var distributor = BinPack(CpuOnly, Node("n", ("cpu", 1)));

        var result = distributor.Place([Load("first", ("cpu", 1)), Load("second", ("cpu", 1))]);

        Assert.Equal("n -", Show(result.Assignments));
    }

    [Fact]
    public void Nodes_are_tried_tightest_first_ties_by_ordinal_name()
    {
        var distributor = BinPack(CpuOnly, Node("b", ("cpu", 4)), Node("B", ("cpu", 4)), Node("a", ("cpu", 9)));

        // "B" < "b" ordinally (uppercase first).
        Assert.Equal("B", distributor.PlaceOne(Load("w", ("cpu", 1))));
    }

    [Fact]
    public void Nodes_scoring_below_the_workload_are_skipped_even_if_they_would_fit()
    {
        // "gpu-box" fits (it has the cpu) but its score 2 is below the workload's 3 (mem counts too).
        var rubric = Rubric(("cpu", 1), ("mem", 1));
        var distributor = BinPack(rubric, Node("small", ("cpu", 2)), Node("big", ("cpu", 4), ("mem", 4)));

        Assert.Equal("big", distributor.PlaceOne(Load("w", ("cpu", 1), ("mem", 2))));
        // The explanation names what the fit rules refuse before the strategy's ordering.
        Assert.Equal("0/2 nodes fit: 1 lacks \"mem\", 1 has too little \"mem\"",
            distributor.Why(Load("w2", ("cpu", 1), ("mem", 3))));
    }

    [Fact]
    public void A_node_that_would_fit_but_scores_below_the_workload_is_explained_as_skipped()
    {
        // A negative weight lets a roomy node score below a small workload: 2 - 5 = -3 < 1.
        var distributor = BinPack(Rubric(("cpu", 1), ("disk", -1)), Node("roomy", ("cpu", 2), ("disk", 5)));

        Assert.Null(distributor.PlaceOne(Load("w", ("cpu", 1))));
        Assert.Equal("0/1 nodes fit: 1 scored below the workload", distributor.Why(Load("w2", ("cpu", 1))));
    }

    [Fact]
    public void A_node_is_rescored_after_each_placement()
    {
        // a (5) is tighter than b (6) and takes the first; it drops to 2, still tightest, takes the second too;
        // at 0.5 it is below the third workload's score and b takes it.
        var distributor = BinPack(CpuOnly, Node("a", ("cpu", 5)), Node("b", ("cpu", 6)));

        Assert.Equal("a a b", distributor.PlaceAll(Load("1", ("cpu", 3)), Load("2", ("cpu", 1.5)), Load("3", ("cpu", 1))));
    }

    [Fact]
    public void Release_rescores_the_node()
    {
        var distributor = BinPack(CpuOnly, Node("a", ("cpu", 5)), Node("b", ("cpu", 6)));
        Assert.Equal("a", distributor.PlaceOne(Load("1", ("cpu", 4))));   // a: 1, b: 6

        Assert.True(distributor.Release("1"));                            // a: 5 again, tighter than b

        Assert.Equal("a", distributor.PlaceOne(Load("2", ("cpu", 1))));
    }

    [Fact]
    public void Keys_outside_the_rubric_do_not_score_but_still_must_fit()
    {
        var distributor = BinPack(CpuOnly, Node("cheap", ("cpu", 1)), Node("gpu", ("cpu", 5), ("gpu", 1)));

        Assert.Equal("gpu", distributor.PlaceOne(Load("w", ("cpu", 1), ("gpu", 1))));
    }

    [Fact]
    public void A_zero_weight_times_infinity_counts_zero()
    {
        // Without the rule, "endless" would score NaN (0 × Infinity) and be tried last.
        var distributor = BinPack(Rubric(("cpu", 1), ("disk", 0)),
            Node("endless", ("cpu", 2), ("disk", double.PositiveInfinity)),
            Node("plain", ("cpu", 3), ("disk", 1)));

        Assert.Equal("endless", distributor.PlaceOne(Load("w", ("cpu", 1), ("disk", 1))));
    }

    [Fact]
    public void An_infinite_weight_times_a_zero_tag_counts_zero()
    {
        var distributor = BinPack(Rubric(("cpu", 1), ("tag", double.PositiveInfinity)),
            Node("tagged", ("cpu", 2), ("tag", 0)),
            Node("plain", ("cpu", 3)));

        Assert.Equal("tagged", distributor.PlaceOne(Load("w", ("cpu", 1))));
    }

    [Fact]
    public void A_node_with_an_undefined_score_is_tried_last_and_never_skipped()
    {
        // "odd" scores +Infinity - Infinity = NaN: ordered after every number, but not "below" anything.
        var rubric = Rubric(("cpu", 1), ("mem", 1));
        var distributor = BinPack(rubric,
            Node("odd", ("cpu", double.PositiveInfinity), ("mem", double.NegativeInfinity)),
            Node("huge", ("cpu", double.PositiveInfinity), ("mem", 1)));

        Assert.Equal("huge", distributor.PlaceOne(Load("w1", ("cpu", 1))));
        distributor.RemoveNode("huge");
        Assert.Equal("odd", distributor.PlaceOne(Load("w2", ("cpu", 1)).Immune("mem")));
    }

    [Fact]
    public void A_workload_with_an_undefined_score_goes_first_in_its_batch_and_skips_no_node()
    {
        var rubric = Rubric(("a", 1), ("b", 1));
        var distributor = BinPack(rubric, Node("n", ("a", 1), ("b", 5)));

        // "odd" scores -Infinity + Infinity = NaN: placed before "plain" (score 1), it turns b into a ward
        // that keeps "plain" out; in input order both would have fitted.
        var result = distributor.Place([Load("plain", ("a", 1)), Load("odd", ("a", double.NegativeInfinity), ("b", double.PositiveInfinity)).Immune("b")]);

        Assert.Equal("- n", Show(result.Assignments));
        Assert.Equal("0/1 nodes fit: 1 has ward \"b\"", result.Unplaced["plain"].ToString());
        Assert.Equal(double.PositiveInfinity, distributor.Remaining("n")["a"]);
        Assert.Equal(double.NegativeInfinity, distributor.Remaining("n")["b"]);
    }

    [Fact]
    public void Many_nodes_and_placements_keep_the_order_consistent()
    {
        // Enough nodes for the order to split and merge blocks; each placement must still pick the tightest
        // node (lowest remaining cpu, then name) that has room, which is easy to compute directly here.
        var nodes = Enumerable.Range(0, 500).Select(index => Node($"n{index:D3}", ("cpu", 10 + index % 37))).ToArray();
        var distributor = BinPack(CpuOnly, nodes);
        var remaining = nodes.ToDictionary(node => node.Name, node => node.Resources["cpu"]);
        for (var index = 0; index < 2000; index++)
        {
            var amount = 1 + index % 7;
            var expected = remaining
                .Where(entry => entry.Value >= amount)
                .OrderBy(entry => entry.Value).ThenBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => entry.Key).FirstOrDefault();
            var node = distributor.PlaceOne(Load($"w{index}", ("cpu", amount)));
            Assert.Equal(expected, node);
            if (node is not null)
                remaining[node] -= amount;
        }
    }
}
