using Lighthouse.Placement;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>The placer's seam alone: what the engine hears of events, a rebuild from state, and exceptions kept with their cause.</summary>
public sealed class TaskPlacerTests
{
    [Fact]
    public void Only_releases_node_changes_and_adoptions_reach_the_engine()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2);
        var id = h.Submit();
        h.Dispatch();
        var at = h.Now;

        Assert.Null(TaskPlacer.ChangeFor(new TaskStarted(id, "n", 1, at), h.State));
        Assert.Null(TaskPlacer.ChangeFor(new TaskProgressed(id, 5, at), h.State));
        var finished = new TaskFinished(id, TaskState.Succeeded, "{}", null, at);
        Assert.Same(finished, TaskPlacer.ChangeFor(finished, h.State));
        var removed = new NodeRemoved("n", at);
        Assert.Same(removed, TaskPlacer.ChangeFor(removed, h.State));
        Assert.Throws<ArgumentException>(() => h.Placer.Apply("not a change"));
    }

    [Fact]
    public void A_placer_rebuilt_from_state_holds_what_the_followed_one_holds()
    {
        var h = new StateHarness();
        h.Register("a", slots: 2, resources: ("cpu", 4));
        h.Register("b", slots: 3, resources: ("cpu", 8));
        for (var i = 0; i < 4; i++) h.Submit(requirements: ("cpu", 2));
        Assert.Equal(4, h.Dispatch());
        h.SetReachable("b", false);

        var rebuilt = new TaskPlacer(StrategyKind.Prioritized, null);
        Assert.Empty(rebuilt.Rebuild(TaskPlacer.RebuildOf(h.State)));

        foreach (var node in new[] { "a", "b" })
        {
            Assert.Equal(h.Placer.Distributor.Remaining(node), rebuilt.Distributor.Remaining(node));
            Assert.Equal(h.Placer.Distributor.WorkloadsOn(node).Order(StringComparer.Ordinal), rebuilt.Distributor.WorkloadsOn(node).Order(StringComparer.Ordinal));
        }
        // "b" is unreachable in both: a task that only "b" could take is refused for it.
        var request = new PlaceTask("t-x", 0, new Workload("t-x", new Dictionary<string, double> { ["cpu"] = 5, ["slots"] = 1, ["task:echo"] = 0 }), 0, 0);
        Assert.Equal(h.Placer.Place(request).Reason, rebuilt.Place(request).Reason);
    }

    [Fact]
    public void An_engine_exception_becomes_a_reason_and_its_cause_is_kept()
    {
        var errors = new List<(Exception Error, string What)>();
        var placer = new TaskPlacer(StrategyKind.Prioritized, null, (e, what) => errors.Add((e, what)));
        placer.Apply(new NodeRegistered("n", new Dictionary<string, double>(), ["echo"], PriorityRange.All, 1, DateTimeOffset.UnixEpoch));

        var outcome = placer.Place(new PlaceTask("t1", 0, new Workload("t1", new Dictionary<string, double> { ["slots"] = double.NaN }), 0, 0));

        Assert.Null(outcome.Node);
        Assert.StartsWith("the placement engine refused the task: ", outcome.Reason);
        var (error, what) = Assert.Single(errors);
        Assert.IsType<PlacementException>(error);
        Assert.Equal("placing task t1", what);
    }
}
