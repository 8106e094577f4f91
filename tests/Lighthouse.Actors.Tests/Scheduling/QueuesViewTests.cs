using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>The queues view is bounded (issue 13): busiest users first, one page of them, the count of the rest, and a blocked count over every queued task.</summary>
public sealed class QueuesViewTests
{
    [Fact]
    public void Users_come_busiest_first_most_queued_then_most_running_then_by_name()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2);
        h.Submit("zoe");
        h.Submit("yan");
        h.Dispatch();
        // zoe and yan now run one each and queue nothing; then: carol 3 queued, bob 1, yan 1 (and 1 running), alice 1.
        foreach (var user in new[] { "carol", "carol", "carol", "bob", "yan", "alice" }) h.Submit(user);

        var view = h.State.QueuesView(new GetQueues(0, 10));

        Assert.Equal(["carol", "yan", "alice", "bob", "zoe"], view.Users.Select(u => u.UserId));
        Assert.Equal((5, 0, 0), (view.UserCount, view.Offset, view.MoreUsers));
    }

    [Fact]
    public void A_page_lists_limit_users_from_offset_and_counts_the_ones_after_it()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 100 });
        // user-00 has 20 queued, user-01 19, …, user-19 1.
        for (var u = 0; u < 20; u++)
            for (var t = 0; t < 20 - u; t++) h.Submit($"user-{u:D2}");

        var first = h.State.QueuesView(new GetQueues(0, 5));
        var third = h.State.QueuesView(new GetQueues(10, 5));
        var last = h.State.QueuesView(new GetQueues(18, 5));
        var past = h.State.QueuesView(new GetQueues(40, 5));
        var none = h.State.QueuesView(new GetQueues(0, 0));

        Assert.Equal(["user-00", "user-01", "user-02", "user-03", "user-04"], first.Users.Select(u => u.UserId));
        Assert.Equal((20, 15), (first.UserCount, first.MoreUsers));
        Assert.Equal(["user-10", "user-11", "user-12", "user-13", "user-14"], third.Users.Select(u => u.UserId));
        Assert.Equal((10, 5), (third.Offset, third.MoreUsers));
        Assert.Equal(["user-18", "user-19"], last.Users.Select(u => u.UserId));
        Assert.Equal(0, last.MoreUsers);
        Assert.Empty(past.Users);
        Assert.Equal((40, 0), (past.Offset, past.MoreUsers));
        Assert.Empty(none.Users);
        Assert.Equal(20, none.MoreUsers);
        // The totals are over everything, whatever the page.
        Assert.All([first, third, last, past, none], v => Assert.Equal(210, v.Queued));
    }

    [Fact]
    public void A_request_without_a_page_gets_the_first_default_page_without_the_new_fields()
    {
        var h = new StateHarness();
        for (var u = 0; u < GetQueues.DefaultLimit + 5; u++) h.Submit($"user-{u:D3}");

        var view = h.State.QueuesView(GetQueues.Instance);

        Assert.Equal(GetQueues.DefaultLimit, view.Users.Count);
        Assert.Equal("user-000", view.Users[0].UserId);
        Assert.Null(view.UserCount);
        Assert.Equal(0, view.MoreUsers);
        Assert.Equal(GetQueues.DefaultLimit + 5, view.Queued);
    }

    [Fact]
    public void Pages_out_of_range_are_refused_naming_the_field_and_clamped_by_the_scheduler()
    {
        Assert.Null(GetQueues.Problem(0, GetQueues.MaxLimit));
        Assert.Null(GetQueues.Problem(5, null));
        Assert.Equal("offset = -1 is invalid: it must be a whole number of at least 0", GetQueues.Problem(-1, 10));
        Assert.Equal("limit = 1001 is invalid: it must be a whole number between 0 and 1000 (the most users one page lists)", GetQueues.Problem(0, 1001));
        Assert.StartsWith("limit = -3 is invalid", GetQueues.Problem(0, -3));

        var h = new StateHarness();
        h.Submit("alice");
        var clamped = h.State.QueuesView(new GetQueues(-4, 5000));
        Assert.Equal((0, 1), (clamped.Offset, clamped.Users.Count));
    }

    [Fact]
    public void Blocked_counts_every_queued_task_when_no_node_is_reachable_and_only_never_placeable_shapes_otherwise()
    {
        var h = new StateHarness();
        for (var u = 0; u < 300; u++) h.Submit($"user-{u:D3}");
        // No node at all: all 300 are blocked, as many as the queue total.
        var none = h.State.QueuesView(new GetQueues(0, 10));
        Assert.Equal((300, 300), (none.Queued, none.Blocked));

        // A node without a gpu: the gpu tasks are blocked once the engine said so; echo tasks that only wait their turn are not.
        h.Register("n", slots: 500);
        for (var i = 0; i < 7; i++) h.Submit($"gpu-user-{i}", requirements: ("gpu", 1));
        h.Dispatch();
        for (var i = 0; i < 3; i++) h.Submit("late");
        var view = h.State.QueuesView(new GetQueues(0, 10));
        Assert.Equal((10, 300, 7), (view.Queued, view.Running, view.Blocked));
        Assert.Equal(7, h.State.Queues.QueuedTasks.Count(t => h.State.Status(t.Id, h.Now)?.WaitsForCapacity == false));
    }
}
