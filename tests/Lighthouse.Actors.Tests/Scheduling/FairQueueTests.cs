using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Dispatch order at the state level: fair share across users, priority within a user, blocked shapes skipped.</summary>
public sealed class FairQueueTests
{
    [Fact]
    public void The_next_task_comes_from_the_user_running_the_fewest_tasks()
    {
        var h = new StateHarness();
        h.Register("n", slots: 3);
        var a1 = h.Submit("alice");
        var a2 = h.Submit("alice");
        h.Submit("alice");
        var b1 = h.Submit("bob");

        h.Dispatch();

        Assert.Equal([a1, b1, a2], h.Starts.Select(s => s.TaskId));
    }

    [Fact]
    public void Users_running_as_many_tasks_take_turns_when_one_slot_frees_at_a_time()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var a = Enumerable.Range(0, 3).Select(_ => h.Submit("alice")).ToList();
        var b = Enumerable.Range(0, 2).Select(_ => h.Submit("bob")).ToList();

        RunOneAtATime(h, 5);

        Assert.Equal([a[0], b[0], a[1], b[1], a[2]], h.Starts.Select(s => s.TaskId));
    }

    [Fact]
    public void A_newcomer_is_not_starved_by_a_user_with_a_long_backlog()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        for (var i = 0; i < 1000; i++) h.Submit("alice");
        h.Dispatch();
        var bob = h.Submit("bob");

        RunOneAtATime(h, 3);

        // Alice's next task was already waiting at her head when bob arrived, so it goes once; then bob.
        Assert.Equal(["alice", "alice", "bob"], h.Starts.Select(s => h.Status(s.TaskId).UserId));
        Assert.Equal(bob, h.Starts[2].TaskId);
    }

    [Fact]
    public void Within_a_user_higher_priority_goes_first_then_first_in_first_out()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var low1 = h.Submit("alice", priority: 0);
        var high1 = h.Submit("alice", priority: 5);
        var low2 = h.Submit("alice", priority: 0);
        var high2 = h.Submit("alice", priority: 5);

        RunOneAtATime(h, 4);

        Assert.Equal([high1, high2, low1, low2], h.Starts.Select(s => s.TaskId));
    }

    [Fact]
    public void A_task_back_from_a_lost_node_goes_ahead_of_its_users_tasks_of_the_same_priority_only()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 1);
        var first = h.Submit("alice");
        h.Dispatch();
        var later = h.Submit("alice");
        var urgent = h.Submit("alice", priority: 1);

        h.Lose("n1");
        Assert.Equal(TaskState.Queued, h.Status(first).State);
        Assert.Equal(1, h.Status(first).Attempts);
        h.Register("n2", slots: 1);
        RunOneAtATime(h, 3);

        Assert.Equal([first, urgent, first, later], h.Starts.Select(s => s.TaskId));
        Assert.Equal(2, h.Status(first).Attempts);
    }

    [Fact]
    public void A_task_that_fits_nowhere_blocks_neither_other_users_nor_its_users_later_tasks()
    {
        var h = new StateHarness();
        h.Register("n", slots: 4, resources: ("cpu", 4));
        var gpu = h.Submit("alice", requirements: ("gpu", 1));
        var cpu = h.Submit("alice", requirements: ("cpu", 1));
        var other = h.Submit("bob", requirements: ("cpu", 1));

        h.Dispatch();

        Assert.Equal([cpu, other], h.Starts.Select(s => s.TaskId).Order());
        Assert.Equal(TaskState.Queued, h.Status(gpu).State);
        Assert.Equal("0/1 nodes fit: 1 lacks \"gpu\"", h.Status(gpu).PendingReason);
        // Known not to fit: it is not offered to the engine again although slots are free.
        Assert.Null(h.State.NextPlacement());
    }

    [Fact]
    public void A_task_waiting_for_capacity_is_offered_again_once_a_task_ends()
    {
        var h = new StateHarness();
        h.Register("n", slots: 4, resources: ("cpu", 2));
        var big1 = h.Submit("alice", requirements: ("cpu", 2));
        var big2 = h.Submit("alice", requirements: ("cpu", 2));
        h.Dispatch();
        Assert.Equal("0/1 nodes fit: 1 has too little \"cpu\"", h.Status(big2).PendingReason);
        Assert.Null(h.State.NextPlacement());

        h.Succeed(big1);
        h.Dispatch();

        Assert.Equal(TaskState.Running, h.Status(big2).State);
    }

    [Fact]
    public void A_task_no_node_could_ever_take_waits_for_a_node_change_not_for_capacity()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2);
        var echo = h.Submit("alice");
        var resize = h.Submit("bob", task: "resize");
        h.Dispatch();
        h.Succeed(echo);

        // A release does not reopen it: no node has the tag "task:resize".
        Assert.Null(h.State.NextPlacement());
        h.Register("imaging", slots: 1, tasks: ["resize"]);
        h.Dispatch();

        Assert.Equal("imaging", h.NodeOf(resize));
    }

    [Fact]
    public void Priority_ranges_route_tasks_to_the_nodes_that_accept_them()
    {
        var h = new StateHarness();
        h.Register("low", slots: 10, priorities: new PriorityRange(0, 4));
        h.Register("high", slots: 10, priorities: new PriorityRange(5, 9));
        var tasks = Enumerable.Range(0, 10).Select(p => (Id: h.Submit("alice", priority: p), Priority: p)).ToList();

        h.Dispatch();

        foreach (var (id, priority) in tasks)
            Assert.Equal(priority <= 4 ? "low" : "high", h.NodeOf(id));
    }

    /// <summary>Finishes the oldest running task and dispatches, <paramref name="rounds"/> times.</summary>
    private static void RunOneAtATime(StateHarness h, int rounds)
    {
        h.Dispatch();
        for (var i = 0; i < rounds - 1; i++)
        {
            var running = h.Starts.Select(s => s.TaskId).First(id => h.Status(id).State == TaskState.Running);
            h.Succeed(running);
            h.Dispatch();
        }
    }
}
