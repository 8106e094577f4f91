using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>How long a finished task is kept: the TTL if never collected, a fixed time after its first read otherwise.</summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_never_collected_task_is_forgotten_after_the_ttl_even_before_a_sweep()
    {
        var h = Finished(out var id);

        h.Clock.Advance(TimeSpan.FromMinutes(10) - Second);
        Assert.NotNull(h.State.Status(id, h.Now));
        h.Clock.Advance(Second);

        Assert.Null(h.State.Status(id, h.Now));
        Assert.Equal(new UnknownTask(id), h.Do(h.State.DecideStatusRead(id, h.Now)));
        Assert.Equal(new UnknownTask(id), h.Do(h.State.DecideCancel(id, h.Now)));
        Assert.Empty(h.State.TasksOf("alice", h.Now).Tasks);
    }

    [Fact]
    public void A_collected_task_is_kept_sixty_seconds_after_its_first_read()
    {
        var h = Finished(out var id);
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.IsType<TaskInfo>(h.Do(h.State.DecideStatusRead(id, h.Now)));
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        // Reading again does not extend it.
        Assert.IsType<TaskInfo>(h.Do(h.State.DecideStatusRead(id, h.Now)));
        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(h.State.Status(id, h.Now));
        h.Clock.Advance(Second);

        Assert.Equal(new UnknownTask(id), h.Do(h.State.DecideStatusRead(id, h.Now)));
    }

    [Fact]
    public void A_read_that_does_not_collect_leaves_the_ttl_and_a_later_collecting_read_still_starts_the_sixty_seconds()
    {
        var h = Finished(out var id);

        var peek = h.State.DecideStatusRead(id, h.Now, collect: false);
        Assert.Empty(peek.Events);
        Assert.Equal(TaskState.Succeeded, Assert.IsType<TaskInfo>(h.Do(peek)).State);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.IsType<TaskInfo>(h.Do(h.State.DecideStatusRead(id, h.Now, collect: false)));
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        // Still within the ten-minute TTL: the peeks did not shorten it to sixty seconds.
        Assert.NotNull(h.State.Status(id, h.Now));

        var collect = h.State.DecideStatusRead(id, h.Now);
        Assert.Equal([new TaskCollected(id, h.Now)], collect.Events);
        h.Do(collect);
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(new UnknownTask(id), h.Do(h.State.DecideStatusRead(id, h.Now, collect: false)));
    }

    [Fact]
    public void Listing_or_reading_a_queued_task_does_not_collect_it()
    {
        var h = new StateHarness();
        var id = h.Submit();
        h.Do(h.State.DecideStatusRead(id, h.Now));
        h.State.TasksOf("alice", h.Now);
        h.Register("n", slots: 1);
        h.Dispatch();
        h.Succeed(id);

        h.Clock.Advance(TimeSpan.FromMinutes(9));

        Assert.NotNull(h.State.Status(id, h.Now));
    }

    [Fact]
    public void The_sweep_forgets_expired_tasks_and_their_submission_ids()
    {
        var h = new StateHarness(SchedulerSettings.Default with { ResultTtl = TimeSpan.FromSeconds(30) });
        h.Register("n", slots: 1);
        var first = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "s1"))).TaskId;
        var kept = h.Submit();
        h.Dispatch();
        h.Succeed(first);
        h.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Empty(h.State.DecideExpiry(h.Now - TimeSpan.FromSeconds(2)));
        var expiry = h.State.DecideExpiry(h.Now);
        h.Apply(expiry);

        Assert.Equal([first], expiry.Cast<TaskForgotten>().Select(f => f.TaskId));
        Assert.Null(h.State.Tasks.Find(first));
        Assert.NotNull(h.State.Tasks.Find(kept));
        // Once forgotten, the submission id is free again.
        var again = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "s1")));
        Assert.False(again.Duplicate);
    }

    private static StateHarness Finished(out string id)
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        id = h.Submit();
        h.Dispatch();
        h.Succeed(id);
        return h;
    }
}
