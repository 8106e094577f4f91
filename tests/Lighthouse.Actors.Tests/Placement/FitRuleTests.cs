using Lighthouse.Placement;
using static Lighthouse.Actors.Tests.Placement.Build;

namespace Lighthouse.Actors.Tests.Placement;

/// <summary>The four fit rules, one behaviour per test, under prioritized (the rules do not depend on the strategy).</summary>
public sealed class FitRuleTests
{
    [Fact]
    public void A_missing_key_keeps_a_workload_out_whatever_it_asks()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8)));

        Assert.Equal("0/1 nodes fit: 1 lacks \"gpu\"", distributor.Why(Load("w", ("gpu", 0))));
    }

    [Fact]
    public void Immunity_does_not_waive_a_missing_key()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8)));

        Assert.Equal("0/1 nodes fit: 1 lacks \"gpu\"", distributor.Why(Load("w", ("gpu", 1)).Immune("gpu")));
    }

    [Fact]
    public void A_tag_is_a_zero_quantity_that_only_workloads_requiring_zero_of_it_select()
    {
        var distributor = Prioritized(Node("plain", ("cpu", 8)), Node("ssd", ("cpu", 8), ("ssd", 0)));

        Assert.Equal("ssd", distributor.PlaceOne(Load("needs-ssd", ("cpu", 1), ("ssd", 0))));
        Assert.Equal("plain", distributor.PlaceOne(Load("any", ("cpu", 1))));
        Assert.Equal(0, distributor.Remaining("ssd")["ssd"]);
    }

    [Fact]
    public void A_semaphore_admits_as_many_workloads_as_its_count()
    {
        var distributor = Prioritized(Node("n", ("cpu", 100), ("licence", 2)));
        Workload Licensed(string name) => Load(name, ("cpu", 1), ("licence", 1));

        Assert.Equal("n n -", distributor.PlaceAll(Licensed("a"), Licensed("b"), Licensed("c")));
        Assert.True(distributor.Release("a"));
        Assert.Equal("n", distributor.PlaceOne(Licensed("d")));
    }

    [Fact]
    public void Exactly_enough_fits_and_leaves_zero()
    {
        var distributor = Prioritized(Node("n", ("cpu", 2)));

        Assert.Equal("n", distributor.PlaceOne(Load("w", ("cpu", 2))));
        Assert.Equal(0, distributor.Remaining("n")["cpu"]);
    }

    [Fact]
    public void An_immune_key_may_go_negative_and_stays_negative()
    {
        var distributor = Prioritized(Node("n", ("cpu", 1), ("mem", 4)));

        Assert.Equal("n", distributor.PlaceOne(Load("w", ("cpu", 3), ("mem", 1)).Immune("cpu")));
        Assert.Equal(-2, distributor.Remaining("n")["cpu"]);
        // The negative cpu is now a shortcoming for anyone not immune, even a workload asking for nothing.
        Assert.Equal("0/1 nodes fit: 1 has too little \"cpu\"", distributor.Why(Load("needs-cpu", ("cpu", 0))));
        Assert.Equal("0/1 nodes fit: 1 has shortcoming \"cpu\"", distributor.Why(Load("nothing")));
    }

    [Fact]
    public void A_shortcoming_keeps_out_workloads_that_do_not_require_the_key()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("debt", -1)));

        Assert.Equal("0/1 nodes fit: 1 has shortcoming \"debt\"", distributor.Why(Load("w", ("cpu", 1))));
    }

    [Fact]
    public void A_negative_requirement_adds_and_overcomes_a_shortcoming()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("debt", -1)));

        Assert.Equal("n", distributor.PlaceOne(Load("payer", ("cpu", 1), ("debt", -1))));
        Assert.Equal(0, distributor.Remaining("n")["debt"]);
        Assert.Equal("n", distributor.PlaceOne(Load("after", ("cpu", 1))));
    }

    [Fact]
    public void A_negative_requirement_too_small_leaves_the_shortcoming()
    {
        var distributor = Prioritized(Node("n", ("debt", -2)));

        Assert.Equal("0/1 nodes fit: 1 has too little \"debt\"", distributor.Why(Load("w", ("debt", -1))));
    }

    [Fact]
    public void A_ward_keeps_out_every_workload_that_is_not_immune_even_one_asking_nothing()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("spiders", double.NegativeInfinity)));

        Assert.Equal("0/1 nodes fit: 1 has ward \"spiders\"", distributor.Why(Load("w", ("cpu", 1))));
        Assert.Equal("0/1 nodes fit: 1 has ward \"spiders\"", distributor.Why(Load("nothing")));
    }

    [Fact]
    public void Immunity_overcomes_a_ward_which_stays()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("spiders", double.NegativeInfinity)));

        Assert.Equal("n", distributor.PlaceOne(Load("exterminator", ("cpu", 1)).Immune("spiders")));
        Assert.Equal(double.NegativeInfinity, distributor.Remaining("n")["spiders"]);
    }

    [Fact]
    public void Requiring_a_warded_key_while_immune_keeps_it_at_minus_infinity()
    {
        var distributor = Prioritized(Node("n", ("spiders", double.NegativeInfinity)));

        Assert.Equal("n", distributor.PlaceOne(Load("w", ("spiders", 5)).Immune("spiders")));
        Assert.Equal(double.NegativeInfinity, distributor.Remaining("n")["spiders"]);
    }

    [Fact]
    public void Infinity_minus_infinity_does_not_fit_even_when_immune()
    {
        var distributor = Prioritized(Node("n", ("cpu", double.PositiveInfinity)));

        Assert.Equal("0/1 nodes fit: 1 would compute NaN for \"cpu\"", distributor.Why(Load("w", ("cpu", double.PositiveInfinity))));
        Assert.Equal("0/1 nodes fit: 1 would compute NaN for \"cpu\"",
            distributor.Why(Load("immune", ("cpu", double.PositiveInfinity)).Immune("cpu")));
        Assert.Equal(double.PositiveInfinity, distributor.Remaining("n")["cpu"]);
    }

    [Fact]
    public void An_infinite_resource_serves_any_finite_requirement_and_stays_infinite()
    {
        var distributor = Prioritized(Node("n", ("cpu", double.PositiveInfinity)));

        Assert.Equal("n n", distributor.PlaceAll(Load("a", ("cpu", 1e308)), Load("b", ("cpu", 1e308))));
        Assert.Equal(double.PositiveInfinity, distributor.Remaining("n")["cpu"]);
    }

    [Fact]
    public void Requiring_minus_infinity_makes_the_quantity_infinite()
    {
        var distributor = Prioritized(Node("n", ("cpu", 1)));

        Assert.Equal("n", distributor.PlaceOne(Load("donor", ("cpu", double.NegativeInfinity))));
        Assert.Equal(double.PositiveInfinity, distributor.Remaining("n")["cpu"]);
    }

    [Fact]
    public void A_failed_fit_changes_nothing_all_or_nothing()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("mem", 1)));

        Assert.Null(distributor.PlaceOne(Load("w", ("cpu", 2), ("mem", 2))));
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 8, ["mem"] = 1 }, distributor.Remaining("n"));
        Assert.Empty(distributor.WorkloadsOn("n"));
    }

    [Fact]
    public void Keys_the_workload_does_not_require_are_untouched()
    {
        var distributor = Prioritized(Node("n", ("cpu", 8), ("mem", 8), ("tag", 0)));

        distributor.PlaceOne(Load("w", ("cpu", 3)));

        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 5, ["mem"] = 8, ["tag"] = 0 }, distributor.Remaining("n"));
    }

    [Fact]
    public void Minus_zero_is_not_negative()
    {
        var distributor = Prioritized(Node("n", ("cpu", 1), ("odd", -0.0)));

        Assert.Equal("n", distributor.PlaceOne(Load("w", ("cpu", 1))));
    }

    [Fact]
    public void A_workload_with_no_requirements_fits_any_node_without_negatives()
    {
        var distributor = Prioritized(Node("warded", ("x", double.NegativeInfinity)), Node("fine", ("cpu", 0)));

        Assert.Equal("fine", distributor.PlaceOne(Load("idle")));
        Assert.Equal(["idle"], distributor.WorkloadsOn("fine"));
    }
}
