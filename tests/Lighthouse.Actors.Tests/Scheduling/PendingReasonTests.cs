using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>A queued task says what keeps it waiting, from the most fundamental cause down.</summary>
public sealed class PendingReasonTests
{
    [Fact]
    public void Without_any_worker_node()
    {
        var h = new StateHarness();
        var id = h.Submit();

        Assert.Equal("no worker node is registered", h.Status(id).PendingReason);
    }

    [Fact]
    public void When_no_node_handles_the_task_name()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1, tasks: ["echo"]);
        var id = h.Submit(task: "resize");
        h.Dispatch();

        Assert.Equal("no reachable worker node handles task \"resize\"", h.Status(id).PendingReason);
    }

    [Fact]
    public void When_a_resource_is_insufficient_everywhere()
    {
        var h = new StateHarness();
        h.Register("a", slots: 1, resources: ("memory", 4));
        h.Register("b", slots: 1, resources: ("memory", 8));
        var id = h.Submit(requirements: ("memory", 16));
        h.Dispatch();

        Assert.Equal("0/2 nodes fit: 2 have too little \"memory\"", h.Status(id).PendingReason);
    }

    [Fact]
    public void When_nodes_refuse_for_different_reasons_each_is_counted()
    {
        var h = new StateHarness();
        h.Register("gpu-low", slots: 1, priorities: new PriorityRange(0, 5), resources: ("gpu", 1));
        h.Register("cpu-any", slots: 1);
        var id = h.Submit(priority: 7, requirements: ("gpu", 1));
        h.Dispatch();

        var reason = h.Status(id).PendingReason!;
        Assert.StartsWith("0/2 nodes fit: ", reason);
        Assert.Contains("1 lacks \"gpu\"", reason);
        Assert.Contains("1 have a priority range that excludes 7", reason);
    }

    [Fact]
    public void When_no_node_handling_the_task_accepts_its_priority()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1, priorities: new PriorityRange(0, 5));
        var id = h.Submit(priority: 9);

        Assert.Equal("no reachable worker node that handles task \"echo\" accepts priority 9", h.Status(id).PendingReason);
    }

    [Fact]
    public void When_every_slot_is_busy_or_it_is_not_its_turn_yet()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var running = h.Submit();
        var waiting = h.Submit();
        h.Dispatch();

        Assert.Equal("waiting for a free slot: all 1 slots on 1 reachable nodes are busy", h.Status(waiting).PendingReason);
        Assert.Null(h.Status(running).PendingReason);
        h.Succeed(running);
        Assert.Equal("waiting for its turn: tasks of users running fewer tasks go first", h.Status(waiting).PendingReason);
    }
}
