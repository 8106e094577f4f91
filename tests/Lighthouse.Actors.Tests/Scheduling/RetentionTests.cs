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

    [Fact]
    public void Past_the_count_bound_the_oldest_finished_task_is_forgotten_as_if_its_retention_had_run_out()
    {
        var h = new StateHarness(SchedulerSettings.Default with { RetainedTasksMax = 3 });
        h.Register("n", slots: 1);
        var first = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "s1"))).TaskId;
        h.Dispatch();
        h.Succeed(first);
        var ids = new List<string> { first };
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(Second);
            var id = h.Submit();
            h.Dispatch();
            h.Succeed(id);
            ids.Add(id);
        }

        Assert.Equal(3, h.State.Tasks.FinishedCount);
        Assert.Equal(ids[2..], h.State.Tasks.Finished.Select(t => t.Id));
        Assert.Equal(3, h.State.Tasks.Count);
        // Evicted reads exactly as expired: unknown to a read, a cancel and a listing, and its submission id is free again.
        Assert.Equal(new UnknownTask(first), h.Do(h.State.DecideStatusRead(first, h.Now)));
        Assert.Equal(new UnknownTask(ids[1]), h.Do(h.State.DecideCancel(ids[1], h.Now)));
        Assert.Equal(ids[2..], h.State.TasksOf("alice", h.Now).Tasks.Select(t => t.TaskId));
        Assert.False(Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice", SubmissionId: "s1"))).Duplicate);
    }

    [Fact]
    public void Collected_tasks_expire_sooner_so_they_are_evicted_before_older_uncollected_ones()
    {
        var h = new StateHarness(SchedulerSettings.Default with { RetainedTasksMax = 2 });
        h.Register("n", slots: 1);
        var uncollected = h.Submit();
        h.Dispatch();
        h.Succeed(uncollected);
        h.Clock.Advance(Second);
        var collected = h.Submit();
        h.Dispatch();
        h.Succeed(collected);
        h.Do(h.State.DecideStatusRead(collected, h.Now));
        Assert.Equal([collected, uncollected], h.State.Tasks.Finished.Select(t => t.Id));

        h.Clock.Advance(Second);
        var newest = h.Submit();
        h.Dispatch();
        h.Succeed(newest);

        Assert.Equal([uncollected, newest], h.State.Tasks.Finished.Select(t => t.Id));
        Assert.Null(h.State.Status(collected, h.Now));
    }

    [Fact]
    public void Past_the_bytes_bound_the_oldest_are_forgotten_until_payloads_results_and_errors_fit_and_the_newest_always_stays()
    {
        // Each task holds a payload of 10 characters and a result of 40: 100 bytes as .NET holds them.
        var payload = "\"" + new string('p', 8) + "\"";
        var result = "\"" + new string('r', 38) + "\"";
        var h = new StateHarness(SchedulerSettings.Default with { RetainedBytesMax = 250 });
        h.Register("n", slots: 1);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(Second);
            var id = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", payload, "alice"))).TaskId;
            h.Dispatch();
            h.Succeed(id, result);
            ids.Add(id);
        }
        Assert.Equal(ids[2..], h.State.Tasks.Finished.Select(t => t.Id));
        Assert.Equal(200, h.State.Tasks.FinishedBytes);

        // A failure's error counts too: 10 + 300 characters, more than the bound alone; it is kept, alone.
        h.Clock.Advance(Second);
        var failing = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", payload, "alice"))).TaskId;
        h.Dispatch();
        Assert.Null(h.Report(new ReportFailure(failing, new string('e', 300))));

        Assert.Equal([failing], h.State.Tasks.Finished.Select(t => t.Id));
        Assert.Equal(620, h.State.Tasks.FinishedBytes);
        Assert.Equal(TaskState.Failed, h.Status(failing).State);
    }

    [Fact]
    public void A_journal_replayed_under_lower_bounds_evicts_as_it_goes_and_its_later_collects_and_expiries_of_evicted_tasks_change_nothing()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = h.Submit();
            h.Dispatch();
            h.Succeed(id);
            ids.Add(id);
        }
        // What a journal would hold: the history, with a collect and an expiry of the first task at the end.
        var replay = new SchedulerState(SchedulerSettings.Default with { RetainedTasksMax = 2 });
        foreach (var change in h.Events) replay.Apply(change);
        replay.Apply(new TaskCollected(ids[0], h.Now));
        replay.Apply(new TaskForgotten(ids[1], h.Now));

        Assert.Equal(ids[3..], replay.Tasks.Finished.Select(t => t.Id));
        Assert.Null(replay.Status(ids[0], h.Now));
    }

    [Fact]
    public void A_snapshot_restored_under_lower_bounds_keeps_the_tasks_last_to_expire()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(Second);
            var id = h.Submit();
            h.Dispatch();
            h.Succeed(id);
            ids.Add(id);
        }
        // The first one read: it expires soonest of all, though it finished first.
        h.Do(h.State.DecideStatusRead(ids[3], h.Now));

        var restored = SchedulerState.Restore(SchedulerSettings.Default with { RetainedTasksMax = 2 }, h.State.Capture());

        Assert.Equal(ids[1..3], restored.Tasks.Finished.Select(t => t.Id));
        Assert.Equal(2, restored.Tasks.Count);
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
