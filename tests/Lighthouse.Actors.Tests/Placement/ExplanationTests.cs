using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>What an unplaced workload is told: every node counted once, under the first rule it failed.</summary>
public sealed class ExplanationTests
{
    [Fact]
    public void Reasons_are_counted_per_key_most_frequent_first()
    {
        var distributor = Prioritized(
            Node("a", ("cpu", 8)),
            Node("b", ("cpu", 8)),
            Node("c", ("cpu", 8), ("gpu", 1), ("spiders", double.NegativeInfinity)));

        Assert.Equal("0/3 nodes fit: 2 lack \"gpu\", 1 has ward \"spiders\"", distributor.Why(Load("w", ("gpu", 1))));
    }

    [Fact]
    public void Each_node_counts_once_under_the_first_rule_it_fails()
    {
        // The node lacks gpu (rule 1), has too little cpu (rule 2) and a ward (rule 3): only rule 1 counts.
        var distributor = Prioritized(Node("n", ("cpu", 1), ("spiders", double.NegativeInfinity)));

        Assert.Equal("0/1 nodes fit: 1 lacks \"gpu\"", distributor.Why(Load("w", ("cpu", 5), ("gpu", 1))));
    }

    [Fact]
    public void Of_several_failing_keys_the_first_by_name_is_named()
    {
        var distributor = Prioritized(Node("n", ("cpu", 1), ("mem", 1), ("x", -1), ("y", -1)));

        Assert.Equal("0/1 nodes fit: 1 lacks \"b\"", distributor.Why(Load("missing", ("z", 1), ("b", 1))));
        Assert.Equal("0/1 nodes fit: 1 has too little \"cpu\"", distributor.Why(Load("short", ("mem", 5), ("cpu", 5))));
        Assert.Equal("0/1 nodes fit: 1 has shortcoming \"x\"", distributor.Why(Load("negative")));
    }

    [Fact]
    public void Singular_and_plural_forms()
    {
        var distributor = Prioritized(
            Node("a", ("cpu", 1)), Node("b", ("cpu", 1)),
            Node("c", ("cpu", 9), ("debt", -1)), Node("d", ("cpu", 9), ("debt", -1)),
            Node("e", ("cpu", 9), ("w", double.NegativeInfinity)), Node("f", ("cpu", 9), ("w", double.NegativeInfinity)),
            Node("g", ("cpu", 9), ("w", double.NegativeInfinity)),
            Node("h", ("mem", 1)));

        Assert.Equal(
            "0/8 nodes fit: 3 have ward \"w\", 2 have too little \"cpu\", 2 have shortcoming \"debt\", 1 lacks \"cpu\"",
            distributor.Why(Load("x", ("cpu", 5))));
    }

    [Fact]
    public void Ties_in_count_follow_rule_order_then_key_name()
    {
        var distributor = Prioritized(
            Node("a", ("cpu", 9), ("zeta", double.NegativeInfinity)),
            Node("b", ("cpu", 9), ("alpha", double.NegativeInfinity)),
            Node("c", ("cpu", 9), ("debt", -1)),
            Node("d", ("mem", 9)));

        Assert.Equal("0/4 nodes fit: 1 lacks \"cpu\", 1 has shortcoming \"debt\", 1 has ward \"alpha\", 1 has ward \"zeta\"",
            distributor.Why(Load("x", ("cpu", 1))));
    }

    [Fact]
    public void A_NaN_computation_is_named()
    {
        var distributor = Prioritized(Node("a", ("cpu", double.NegativeInfinity)), Node("b", ("cpu", double.NegativeInfinity)));

        Assert.Equal("0/2 nodes fit: 2 would compute NaN for \"cpu\"", distributor.Why(Load("x", ("cpu", double.NegativeInfinity))));
    }

    [Fact]
    public void With_no_nodes_the_explanation_says_so()
    {
        var distributor = Prioritized();

        Assert.Equal("0/0 nodes fit: no nodes", distributor.Why(Load("x", ("cpu", 1))));
    }

    [Fact]
    public void A_filter_refusal_is_counted_with_its_phrase()
    {
        var distributor = Prioritized(Node("low", ("cpu", 9)), Node("high", ("cpu", 9)), Node("tiny", ("cpu", 0)));
        NodeFilter outsideRange = (_, node) => node == "tiny" ? null : "are outside the priority range";

        Assert.Equal("0/3 nodes fit: 2 are outside the priority range, 1 has too little \"cpu\"",
            distributor.Why(Load("x", ("cpu", 1)), outsideRange));
    }

    [Fact]
    public void A_filter_only_narrows_the_choice()
    {
        var distributor = Prioritized(Node("low", ("cpu", 9)), Node("high", ("cpu", 9)));
        NodeFilter highOnly = (_, node) => node == "high" ? null : "are not high";

        Assert.Equal("high", distributor.PlaceOne(Load("x", ("cpu", 1)), highOnly));
        Assert.Equal(9, distributor.Remaining("low")["cpu"]);
    }

    [Fact]
    public void The_explanation_describes_the_state_when_the_workload_was_tried()
    {
        // In one batch, "late" is tried after "early" took the last cpu.
        var distributor = Prioritized(Node("n", ("cpu", 1)));

        var result = distributor.Place([Load("early", ("cpu", 1)), Load("late", ("cpu", 1))]);

        Assert.Equal("0/1 nodes fit: 1 has too little \"cpu\"", result.Unplaced["late"].ToString());
        Assert.False(result.Unplaced.ContainsKey("early"));
    }

    [Fact]
    public void Explanations_carry_structured_counts_and_compare_by_value()
    {
        var distributor = Prioritized(Node("a", ("cpu", 1)), Node("b", ("mem", 1)));

        var explanation = distributor.Place([Load("x", ("cpu", 5))]).Unplaced["x"];

        Assert.Equal(2, explanation.NodeCount);
        Assert.Equal(0, explanation.FittingNodes);
        Assert.Equal([new RejectionCount(RejectionReason.MissingKey, "cpu", 1), new RejectionCount(RejectionReason.Insufficient, "cpu", 1)],
            explanation.Rejections);
        Assert.Equal(new PlacementExplanation(2, [new(RejectionReason.MissingKey, "cpu", 1), new(RejectionReason.Insufficient, "cpu", 1)]), explanation);
    }

    [Fact]
    public void Identical_workloads_are_explained_afresh_after_every_change()
    {
        var distributor = Prioritized(Node("a", ("cpu", 0), ("mem", 0)), Node("b", ("cpu", 5), ("mem", 1)));
        Workload Big(string name) => Load(name, ("cpu", 2), ("mem", 2));

        // "taker" uses b's cpu between two identical workloads: b's reason changes from mem to cpu.
        var result = distributor.Place([Big("big1"), Load("taker", ("cpu", 4)), Big("big2")]);

        Assert.Equal("- b -", Show(result.Assignments));
        Assert.Equal("0/2 nodes fit: 1 has too little \"cpu\", 1 has too little \"mem\"", result.Unplaced["big1"].ToString());
        Assert.Equal("0/2 nodes fit: 2 have too little \"cpu\"", result.Unplaced["big2"].ToString());

        distributor.Release("taker");
        Assert.Equal("0/2 nodes fit: 1 has too little \"cpu\", 1 has too little \"mem\"", distributor.Why(Big("big3")));
        distributor.RemoveNode("a");
        Assert.Equal("0/1 nodes fit: 1 has too little \"mem\"", distributor.Why(Big("big4")));
        distributor.AddNode(Node("c", ("cpu", 9)));
        Assert.Equal("0/2 nodes fit: 1 lacks \"mem\", 1 has too little \"mem\"", distributor.Why(Big("big5")));
    }

    [Fact]
    public void Workloads_differing_only_in_immunity_get_their_own_explanations()
    {
        var distributor = Prioritized(Node("n", ("cpu", 1), ("debt", -1), ("spiders", double.NegativeInfinity)));

        var result = distributor.Place(
        [
            Load("plain", ("cpu", 0.5)),
            Load("spider-proof", ("cpu", 0.5)).Immune("spiders"),
            Load("debt-proof", ("cpu", 0.5)).Immune("debt"),
        ]);

        Assert.Equal("0/1 nodes fit: 1 has shortcoming \"debt\"", result.Unplaced["plain"].ToString());
        Assert.Equal("0/1 nodes fit: 1 has shortcoming \"debt\"", result.Unplaced["spider-proof"].ToString());
        Assert.Equal("0/1 nodes fit: 1 has ward \"spiders\"", result.Unplaced["debt-proof"].ToString());
    }

    [Fact]
    public void The_first_failing_key_by_name_is_named_for_keys_beyond_the_first_four_after_nodes_leave()
    {
        // The engine keeps compact copies of the first four keys workloads ask for and bits for more; a node
        // leaving shifts the copies of its neighbours. "a5" is the fifth key asked for, "k1" one of the first.
        var distributor = Prioritized(
            Node("n0", ("k1", 0), ("k2", 0), ("k3", 0), ("k4", 0), ("a5", 5)),
            Node("n1", ("k1", 0), ("k2", 0), ("k3", 0), ("k4", 0), ("a5", -1)),
            Node("n2", ("k1", 0), ("k2", 0), ("k3", 0), ("k4", 0), ("a5", 3)));
        distributor.Why(Load("first-four", ("k1", 100), ("k2", 100), ("k3", 100), ("k4", 100)));
        distributor.Why(Load("fifth", ("a5", 0), ("k1", 100)));

        distributor.RemoveNode("n0");

        Assert.Equal("0/2 nodes fit: 1 has too little \"a5\", 1 has too little \"k1\"", distributor.Why(Load("w", ("a5", 0), ("k1", 1))));
    }
}
