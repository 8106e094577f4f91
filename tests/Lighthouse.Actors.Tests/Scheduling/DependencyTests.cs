using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Dependencies on the plain state (docs/task-policies.md): a task waits, in no user queue, until every parent succeeded;
/// a parent's failure or cancel cancels it, down the chain; what a submission may name; how it looks while it waits.
/// </summary>
public sealed class DependencyTests
{
    private static object? Submit(StateHarness h, string[] after, string user = "alice", TimeSpan? delay = null) =>
        h.Submit(new SubmitTask("echo", "{}", user) { After = after, Delay = delay });

    private static string Child(StateHarness h, params string[] after) => Assert.IsType<SubmissionAccepted>(Submit(h, after)).TaskId;

    /// <summary>Applies what the actor applies right after any events: the cancels down a chain.</summary>
    private static void FollowUps(StateHarness h)
    {
        while (h.State.HasFollowUps) h.Apply(h.State.DecideFollowUps(h.Now));
    }

    private static string Rejection(object? reply) => Assert.IsType<SubmissionRejected>(reply).Reason;

    [Fact]
    public void A_parent_with_many_children_lists_the_oldest_hundred_in_order()
    {
        var h = new StateHarness();
        var a = h.Submit();
        var children = Enumerable.Range(0, 250).Select(_ => Child(h, a)).ToList();
        // Release a few of the oldest (cancelled) so the oldest still waiting are not simply the first submitted.
        foreach (var cancelled in children.Take(5)) h.Do(h.State.DecideCancel(cancelled, h.Now));

        var listed = h.Status(a).Dependents;

        Assert.Equal(SchedulerState.MaxListedDependents, listed!.Count);
        Assert.Equal(children.Skip(5).Take(SchedulerState.MaxListedDependents), listed);
    }

    [Fact]
    public void A_child_starts_only_after_every_parent_succeeded()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 4);
        var a = h.Submit();
        var b = h.Submit();
        var c = Child(h, a, b);

        Assert.Equal(2, h.Dispatch());
        Assert.Equal(TaskState.Queued, h.Status(c).State);
        Assert.Equal($"waiting for {a} and 1 more ({a}, {b})", h.Status(c).PendingReason);
        Assert.Equal([c], h.Status(a).Dependents);
        Assert.Equal([a, b], h.Status(c).After);
        Assert.Equal(0, h.State.Queues.Queued);

        h.Succeed(a);
        Assert.Equal(0, h.Dispatch());
        Assert.Equal($"waiting for {b}", h.Status(c).PendingReason);
        h.Succeed(b);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(c).State);
        Assert.Null(h.Status(b).Dependents);
    }

    [Fact]
    public void A_parent_that_fails_cancels_its_children_and_theirs_naming_the_failed_task()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 4);
        var a = h.Submit();
        var b = Child(h, a);
        var c = Child(h, b);
        var unrelated = h.Submit();
        h.Dispatch();

        Assert.Null(h.Report(new ReportFailure(a, "boom")));
        Assert.True(h.State.HasFollowUps);
        FollowUps(h);

        Assert.Equal((TaskState.Cancelled, $"dependency {a} failed"), (h.Status(b).State, h.Status(b).Error));
        Assert.Equal((TaskState.Cancelled, $"dependency {a} failed"), (h.Status(c).State, h.Status(c).Error));
        Assert.Equal(TaskState.Running, h.Status(unrelated).State);
        Assert.Equal(0, h.State.Dependencies.Waiting);
    }

    [Fact]
    public void A_cancelled_parent_cancels_its_children()
    {
        var h = new StateHarness();
        var a = h.Submit();
        var b = Child(h, a);

        Assert.IsType<TaskCancelled>(h.Do(h.State.DecideCancel(a, h.Now)));
        FollowUps(h);

        Assert.Equal((TaskState.Cancelled, $"dependency {a} was cancelled"), (h.Status(b).State, h.Status(b).Error));
    }

    [Fact]
    public void A_retried_or_requeued_parent_is_not_an_end_its_children_keep_waiting()
    {
        var h = new StateHarness();
        h.Register("n1");
        var a = Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(1, TimeSpan.Zero) })).TaskId;
        var b = Child(h, a);
        h.Dispatch();
        h.Lose("n1");
        Assert.False(h.State.HasFollowUps);
        h.Register("n1");
        h.Dispatch();
        Assert.Null(h.Report(new ReportFailure(a, "boom")));
        Assert.False(h.State.HasFollowUps);
        h.Alarms();
        h.Dispatch();
        h.Succeed(a);

        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(b).State);
    }

    [Fact]
    public void Cancelling_a_waiting_child_leaves_its_parent_alone()
    {
        var h = new StateHarness();
        var a = h.Submit();
        var b = Child(h, a);

        Assert.IsType<TaskCancelled>(h.Do(h.State.DecideCancel(b, h.Now)));

        Assert.Equal("cancelled while waiting for its dependencies", h.Status(b).Error);
        Assert.Equal(TaskState.Queued, h.Status(a).State);
        Assert.Null(h.Status(a).Dependents);
        Assert.Equal(0, h.State.Dependencies.Waiting);
    }

    [Fact]
    public void A_parent_that_already_succeeded_is_no_wait_and_a_delay_still_counts_after_the_release()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 2);
        var a = h.Submit();
        h.Dispatch();
        h.Succeed(a);
        var b = Child(h, a);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(b).State);

        var c = h.Submit();
        var d = Assert.IsType<SubmissionAccepted>(Submit(h, [c], delay: TimeSpan.FromSeconds(10))).TaskId;
        h.Dispatch();
        h.Succeed(c);
        Assert.Equal(0, h.Dispatch());
        Assert.StartsWith("not before", h.Status(d).PendingReason);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        h.Alarms();
        Assert.Equal(1, h.Dispatch());
    }

    [Fact]
    public void Unknown_other_users_failed_and_too_many_parents_are_refused_naming_the_field()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxDependencies = 2 });
        h.Register("n1", slots: 2);
        var bobs = h.Submit(user: "bob");
        var failed = h.Submit();
        h.Dispatch();
        Assert.Null(h.Report(new ReportFailure(failed, "boom")));
        var cancelled = h.Submit();
        h.Do(h.State.DecideCancel(cancelled, h.Now));

        Assert.Equal("after: unknown task id task-99 (a task may wait only for tasks of its own user that the scheduler still knows)", Rejection(Submit(h, ["task-99"])));
        Assert.StartsWith($"after: unknown task id {bobs}", Rejection(Submit(h, [bobs])));
        Assert.Equal($"after: task {failed} already failed, so this task could never run", Rejection(Submit(h, [failed])));
        Assert.Equal($"after: task {cancelled} already was cancelled, so this task could never run", Rejection(Submit(h, [cancelled])));
        Assert.Equal("after: 3 tasks is over the limit of 2 per task (lighthouse.scheduler.max-dependencies)", Rejection(Submit(h, ["a", "b", "c"])));
        Assert.Equal("after: a task id is empty", Rejection(Submit(h, [" "])));
        Assert.Equal(3, h.State.Tasks.Count);
    }

    [Fact]
    public void A_parent_named_twice_counts_once()
    {
        var h = new StateHarness();
        h.Register("n1");
        var a = h.Submit();
        var b = Child(h, a, a);
        h.Dispatch();
        h.Succeed(a);

        Assert.Equal([a], h.Status(b).After);
        Assert.Equal(1, h.Dispatch());
    }

    [Fact]
    public void Waiting_children_count_against_the_queue_cap_and_are_never_adopted()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 2 });
        var a = h.Submit();
        var b = Child(h, a);
        Assert.Equal(RejectionCode.QueueFull, Assert.IsType<SubmissionRejected>(h.Submit(new SubmitTask("echo", "{}", "alice"))).Code);

        h.Register("n1", slots: 2);
        var reported = h.State.DecideReported("n1", [b], h.Now);
        Assert.Empty(reported.Events);
        Assert.Equal([b], reported.Cancel);
    }

    [Fact]
    public void A_snapshot_restores_waiting_children_where_they_were()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 2);
        var a = h.Submit();
        var b = Child(h, a);
        var done = h.Submit();
        h.Dispatch();
        h.Succeed(done);
        var released = Child(h, done);

        var restored = SchedulerState.Restore(SchedulerSettings.Default, h.State.Capture());

        Assert.Equal(1, restored.Dependencies.Waiting);
        Assert.Equal($"waiting for {a}", restored.Status(b, h.Now)!.PendingReason);
        Assert.Equal([released], restored.Queues.QueuedTasks.Select(t => t.Id));
    }
}
