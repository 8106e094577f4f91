using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>A queued task's status says whether it waits for room or for other nodes, once the engine has refused it.</summary>
public sealed class WaitsForCapacityTests
{
    [Fact]
    public void A_task_refused_only_for_resources_in_use_waits_for_capacity_until_room_appears()
    {
        var h = new StateHarness();
        h.Register("a", slots: 2, resources: ("memory", 8));
        var first = h.Submit(requirements: ("memory", 6));
        var second = h.Submit(requirements: ("memory", 6));
        h.Dispatch();

        Assert.True(h.Status(second).WaitsForCapacity);
        Assert.Null(h.Status(first).WaitsForCapacity);

        h.Succeed(first);
        // Room appeared: the old verdict no longer holds, and the next dispatch starts the task.
        Assert.Null(h.Status(second).WaitsForCapacity);
        h.Dispatch();
        Assert.Equal((TaskState.Running, null), (h.Status(second).State, h.Status(second).WaitsForCapacity));
    }

    [Fact]
    public void A_task_no_current_node_can_ever_take_does_not_wait_for_capacity_until_the_nodes_change()
    {
        var h = new StateHarness();
        h.Register("cpu", slots: 2);
        var id = h.Submit(requirements: ("gpu", 1));
        h.Dispatch();

        Assert.False(h.Status(id).WaitsForCapacity);
        Assert.Equal(TaskState.Queued, h.Status(id).State);

        h.Register("gpu", slots: 1, resources: ("gpu", 1));
        Assert.Null(h.Status(id).WaitsForCapacity);
        h.Dispatch();
        Assert.Equal("gpu", h.NodeOf(id));
    }

    [Fact]
    public void Asking_for_more_than_a_node_has_in_all_is_not_capacity_though_the_engine_calls_both_too_little()
    {
        var h = new StateHarness();
        h.Register("gpu", slots: 3, resources: ("gpu", 2));
        var running = h.Submit(requirements: ("gpu", 2));
        var later = h.Submit(requirements: ("gpu", 1));
        var never = h.Submit(requirements: ("gpu", 4));
        h.Dispatch();

        Assert.Equal(TaskState.Running, h.Status(running).State);
        Assert.True(h.Status(later).WaitsForCapacity);
        Assert.False(h.Status(never).WaitsForCapacity);
        Assert.Equal("0/1 nodes fit: 1 has too little \"gpu\"", h.Status(never).PendingReason);

        h.Succeed(running);
        h.Dispatch();
        Assert.Equal(TaskState.Running, h.Status(later).State);
        Assert.Equal((TaskState.Queued, false), (h.Status(never).State, h.Status(never).WaitsForCapacity));
    }

    [Fact]
    public void Unhandled_names_and_excluded_priorities_are_not_capacity()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2, tasks: ["echo"], priorities: new PriorityRange(0, 5));
        var unhandled = h.Submit(task: "resize");
        var excluded = h.Submit(priority: 9);
        h.Dispatch();

        Assert.False(h.Status(unhandled).WaitsForCapacity);
        Assert.False(h.Status(excluded).WaitsForCapacity);
    }

    [Fact]
    public void A_task_the_engine_has_not_judged_has_no_verdict()
    {
        var h = new StateHarness();
        var noNodes = h.Submit();
        Assert.Null(h.Status(noNodes).WaitsForCapacity);

        h.Register("n", slots: 1);
        var running = h.Submit();
        h.Dispatch();
        // The only slot is busy, so the engine is not asked about the next task at all.
        var waiting = h.Submit(requirements: ("gpu", 1));
        h.Dispatch();

        Assert.Null(h.Status(waiting).WaitsForCapacity);
        Assert.Null(h.Status(running).WaitsForCapacity);
    }

    [Fact]
    public void The_verdict_is_listed_too()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit(requirements: ("gpu", 1));
        h.Dispatch();

        Assert.False(h.State.TasksOf("alice", h.Now).Tasks.Single(t => t.TaskId == id).WaitsForCapacity);
    }
}
