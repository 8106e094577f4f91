using Lighthouse.Actors.Tests.Persistence;
using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Worker lanes (<c>--lane SLOTS:MIN:MAX[:NICE]</c>): a task goes only to the lane whose range holds its priority, a
/// full lane takes nothing of another lane's, a priority in no lane waits saying so, and a node without lanes is as before.
/// </summary>
public sealed class LaneTests
{
    // pyLoadBalancer's documented WKHUB_WORKERS example, with one slot per lane.
    private static readonly WorkerLane[] ThreeLanes =
    [
        new(1, new PriorityRange(0, 9), 10),
        new(1, new PriorityRange(10, 99)),
        new(1, new PriorityRange(100, 1000)),
    ];

    private static IReadOnlyList<int> UsedSlots(StateHarness h, string node) =>
        h.State.NodesView().Nodes.Single(n => n.Node == node).Lanes!.Select(l => l.Slots - l.FreeSlots).ToList();

    [Fact]
    public void Priorities_5_50_and_500_each_take_the_slot_of_their_own_lane()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);

        var low = h.Submit(priority: 500);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal([0, 0, 1], UsedSlots(h, "w"));
        var middle = h.Submit(priority: 50);
        var high = h.Submit(priority: 5);
        Assert.Equal(2, h.Dispatch());

        Assert.Equal([1, 1, 1], UsedSlots(h, "w"));
        Assert.All(new[] { low, middle, high }, id => Assert.Equal("w", h.NodeOf(id)));
        var view = h.State.NodesView().Nodes.Single();
        Assert.Equal((3, 0), (view.Slots, view.FreeSlots));
        Assert.Equal([10, null, null], view.Lanes!.Select(l => l.Nice));
        Assert.Equal([new PriorityRange(0, 9), new PriorityRange(10, 99), new PriorityRange(100, 1000)], view.Lanes!.Select(l => l.Priorities));
    }

    [Fact]
    public void A_full_lane_does_not_take_another_lanes_priority_and_its_task_waits_for_a_slot_of_its_own_lane()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);
        var first = h.Submit(priority: 5);
        Assert.Equal(1, h.Dispatch());
        var second = h.Submit(priority: 7);
        Assert.Equal(0, h.Dispatch());

        // Two slots are free, but not in the lane of priorities 0 to 9.
        Assert.Equal(TaskState.Queued, h.Status(second).State);
        Assert.Equal("0/1 nodes fit: 1 have their lane for priority 7 full", h.Status(second).PendingReason);
        Assert.True(h.Status(second).WaitsForCapacity);
        Assert.Equal([1, 0, 0], UsedSlots(h, "w"));

        // Another lane's priority still starts beside it.
        var other = h.Submit(priority: 50);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(other).State);
        Assert.Equal(TaskState.Queued, h.Status(second).State);

        // And a task ending in another lane frees nothing for it; one ending in its own does.
        h.Succeed(other);
        Assert.Equal(0, h.Dispatch());
        h.Succeed(first);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(second).State);
    }

    [Fact]
    public void Batched_dispatch_keeps_every_lane_to_its_slots()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", [new(2, new PriorityRange(0, 9)), new(1, new PriorityRange(10, 99))]);
        var ids = Enumerable.Range(0, 4).Select(_ => h.Submit(priority: 3)).Append(h.Submit(priority: 20)).Append(h.Submit(priority: 21)).ToList();

        Assert.Equal(3, h.DispatchInBatches(256));

        Assert.Equal([2, 1], UsedSlots(h, "w"));
        Assert.Equal(2, ids.Take(4).Count(id => h.Status(id).State == TaskState.Running));
    }

    [Fact]
    public void A_priority_outside_every_lane_waits_saying_no_lane_holds_it()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);
        var id = h.Submit(priority: 5000);
        Assert.Equal(0, h.Dispatch());

        Assert.Equal("no reachable worker node that handles task \"echo\" has a lane for priority 5000", h.Status(id).PendingReason);
        // Between two lanes' ranges is outside too: lanes may leave gaps.
        var gap = new StateHarness();
        gap.RegisterLanes("w", [new(1, new PriorityRange(0, 9)), new(1, new PriorityRange(100, 1000))]);
        var between = gap.Submit(priority: 50);
        Assert.Equal(0, gap.Dispatch());
        Assert.Equal("no reachable worker node that handles task \"echo\" has a lane for priority 50", gap.Status(between).PendingReason);
    }

    [Fact]
    public void The_placement_explanation_counts_a_node_with_no_lane_for_the_priority()
    {
        var h = new StateHarness();
        h.RegisterLanes("lanes", ThreeLanes, resources: ("gpu", 1));
        h.Register("plain", slots: 1);
        var id = h.Submit(priority: 5000, requirements: ("gpu", 1));
        Assert.Equal(0, h.Dispatch());

        var reason = h.Status(id).PendingReason!;
        Assert.StartsWith("0/2 nodes fit: ", reason);
        Assert.Contains("1 have no lane for priority 5000", reason);
        Assert.Contains("1 lacks \"gpu\"", reason);
        Assert.False(h.Status(id).WaitsForCapacity);
    }

    [Fact]
    public void A_node_without_lanes_is_one_lane_as_before()
    {
        var h = new StateHarness();
        h.Register("plain", slots: 2, priorities: new PriorityRange(0, 9));
        h.Submit(priority: 5);
        h.Submit(priority: 9);
        var outside = h.Submit(priority: 10);
        Assert.Equal(2, h.Dispatch());

        Assert.Null(h.State.NodesView().Nodes.Single().Lanes);
        Assert.Equal("no reachable worker node that handles task \"echo\" accepts priority 10", h.Status(outside).PendingReason);
    }

    [Theory]
    [InlineData("overlaps lane 1")]
    [InlineData("slots but its lanes have")]
    [InlineData("but its lanes span")]
    [InlineData("nice 20 is outside -20..19")]
    [InlineData("0 slots: a lane needs at least 1")]
    [InlineData("lanes are over the limit of 64")]
    public void A_registration_whose_lanes_do_not_hold_together_is_refused_naming_the_problem(string problem)
    {
        var good = StateHarness.LaneRegistration("w", ThreeLanes);
        var registration = problem switch
        {
            "overlaps lane 1" => StateHarness.LaneRegistration("w", [new(1, new PriorityRange(0, 9)), new(1, new PriorityRange(9, 20))]),
            "slots but its lanes have" => good with { Slots = 99 },
            "but its lanes span" => good with { Priorities = PriorityRange.All },
            "nice 20 is outside -20..19" => StateHarness.LaneRegistration("w", [new(1, new PriorityRange(0, 9), 20)]),
            "0 slots: a lane needs at least 1" => good with { Lanes = [new(0, new PriorityRange(0, 9))], Slots = 1, Priorities = new PriorityRange(0, 9) },
            _ => StateHarness.LaneRegistration("w", Enumerable.Range(0, 65).Select(i => new WorkerLane(1, new PriorityRange(i, i))).ToArray()),
        };
        var h = new StateHarness();

        var reply = Assert.IsType<WorkerRegistrationRejected>(h.Do(h.State.DecideRegistration(registration, h.Now)));

        Assert.Contains(problem, reply.Reason);
        Assert.Contains("node \"w\"", reply.Reason);
        Assert.Empty(h.State.NodesView().Nodes);
    }

    [Fact]
    public void A_worker_registering_again_with_other_lanes_does_not_match_its_node()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);
        var node = h.State.Nodes.Find("w")!;

        Assert.True(node.Matches(StateHarness.LaneRegistration("w", ThreeLanes)));
        Assert.False(node.Matches(StateHarness.LaneRegistration("w", [.. ThreeLanes[..2], new(1, new PriorityRange(100, 1000), 5)])));
        Assert.False(node.Matches(StateHarness.Registration("w", slots: 3, priorities: new PriorityRange(0, 1000))));
    }

    [Fact]
    public void A_worker_naming_queued_tasks_as_running_has_them_adopted_only_as_far_as_their_lanes_have_slots()
    {
        var h = new StateHarness();
        var a = h.Submit(priority: 5);
        var b = h.Submit(priority: 6);
        var c = h.Submit(priority: 50);
        var outside = h.Submit(priority: 5000);
        h.RegisterLanes("w", ThreeLanes);

        var reported = h.State.DecideReported("w", [a, b, c, outside], h.Now);

        Assert.Equal([a, c], reported.Events.OfType<TaskAdopted>().Select(e => e.TaskId));
        Assert.Equal([b, outside], reported.Cancel);
    }

    [Fact]
    public void Lanes_and_their_use_survive_the_journal_and_a_snapshot()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);
        h.Register("plain", slots: 1, priorities: new PriorityRange(-5, -1));
        h.Submit(priority: 5);
        h.Submit(priority: 500);
        h.Dispatch();

        var withLanes = SchedulerState.RegistrationOf(h.State.Nodes.Find("w")!);
        Assert.Equal("NL", PersistenceAkka.Serializer.Manifest(withLanes));
        Assert.Equal("NR", PersistenceAkka.Serializer.Manifest(SchedulerState.RegistrationOf(h.State.Nodes.Find("plain")!)));
        var read = (NodeRegistered)SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(withLanes), "NL");
        Assert.Equal(ThreeLanes, read.Lanes);

        var snapshot = new SchedulerSnapshot(h.State.Capture());
        Assert.Equal("S2", PersistenceAkka.Serializer.Manifest(snapshot));
        var image = Assert.IsType<SchedulerSnapshot>(SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(snapshot), "S2")).Image;
        var restored = SchedulerState.Restore(h.State.Settings, image);
        var lanes = restored.NodesView().Nodes.Single(n => n.Node == "w").Lanes!;
        Assert.Equal([1, 0, 1], lanes.Select(l => l.Slots - l.FreeSlots));
        Assert.Equal([10, null, null], lanes.Select(l => l.Nice));
        Assert.Null(restored.NodesView().Nodes.Single(n => n.Node == "plain").Lanes);
    }

    [Fact]
    public void A_snapshot_with_lanes_and_policies_keeps_both()
    {
        var h = new StateHarness();
        h.RegisterLanes("w", ThreeLanes);
        var delayed = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", 5) { Delay = TimeSpan.FromHours(1) })).TaskId;

        var snapshot = new SchedulerSnapshot(h.State.Capture());
        Assert.Equal("S2", PersistenceAkka.Serializer.Manifest(snapshot));
        var image = Assert.IsType<SchedulerSnapshot>(SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(snapshot), "S2")).Image;

        Assert.Equal(ThreeLanes, image.Nodes.Single().Registration.Lanes);
        Assert.Equal(delayed, Assert.Single(image.Policies!).Id);
    }
}
