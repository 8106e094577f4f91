using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// The task policies' figures (docs/task-policies.md, "Metrics"), on the plain state: the counters of retries, timeouts and
/// quota waits, the counts of tasks waiting for each kind of policy, and the bounded list of them the monitor shows.
/// </summary>
public sealed class PolicyStatisticsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static string Submit(StateHarness h, SubmitTask submission) => Assert.IsType<SubmissionAccepted>(h.Submit(submission)).TaskId;

    private static void Fail(StateHarness h, string taskId, string error) => Assert.Null(h.Report(new ReportFailure(taskId, error)));

    private static PolicyStatistics Policies(StateHarness h, int listed = 20) =>
        h.State.StatisticsView(new GetStatistics(listed), h.Now).Policies ?? throw new Xunit.Sdk.XunitException("no policy figures");

    [Fact]
    public void Each_retry_is_counted_once_and_the_task_counts_as_retrying_only_while_it_waits()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(2, Second) });
        h.Dispatch();

        Fail(h, task, "boom 1");
        Assert.Equal((1L, 1, 0), (Policies(h).Retries, Policies(h).Retrying, Policies(h).Delayed));
        h.Clock.Advance(Second);
        h.Alarms();
        Assert.Equal(0, Policies(h).Retrying);
        h.Dispatch();
        Fail(h, task, "boom 2");
        h.Clock.Advance(2 * Second);
        h.Alarms();
        h.Dispatch();
        // The last failure is no retry: the task fails for good.
        Fail(h, task, "boom 3");

        var policies = Policies(h);
        Assert.Equal(TaskState.Failed, h.Status(task).State);
        Assert.Equal((2L, 0L, 0), (policies.Retries, policies.Timeouts, policies.Retrying));
    }

    [Fact]
    public void A_cancel_while_waiting_to_retry_stops_the_count_and_the_gauge()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(5, Second) });
        h.Dispatch();
        Fail(h, task, "boom");

        h.Do(h.State.DecideCancel(task, h.Now));
        h.Clock.Advance(10 * Second);
        h.Alarms();

        Assert.Equal((1L, 0), (Policies(h).Retries, Policies(h).Retrying));
    }

    [Fact]
    public void Timeouts_count_whether_the_worker_or_the_scheduler_ended_the_attempt_and_other_failures_do_not()
    {
        var h = new StateHarness(SchedulerSettings.Default with { TimeoutGrace = Second });
        h.Register("n1", slots: 5);
        var timeout = TimeSpan.FromMilliseconds(500);
        var byWorker = Submit(h, new SubmitTask("echo", "{}", "alice") { Timeout = timeout });
        var byScheduler = Submit(h, new SubmitTask("echo", "{}", "alice") { Timeout = timeout });
        var retried = Submit(h, new SubmitTask("echo", "{}", "alice") { Timeout = timeout, Retry = new RetryPolicy(1, Second) });
        var plainFailure = Submit(h, new SubmitTask("echo", "{}", "alice") { Timeout = timeout });
        var noTimeout = Submit(h, new SubmitTask("echo", "{}", "alice"));
        Assert.Equal(5, h.Dispatch());

        // The worker's own words when the task's timeout fired (TaskExecution), and the same words from a task that has no timeout.
        Fail(h, byWorker, "timed out after 500 ms, the task's timeout; the handler of task x (echo) had its cancellation token fired");
        Fail(h, retried, "timed out after 500 ms, the task's timeout; the handler of task x (echo) had its cancellation token fired");
        Fail(h, plainFailure, "boom");
        Fail(h, noTimeout, "timed out after 500 ms, the task's timeout");
        Assert.Equal((2L, 1L), (Policies(h).Timeouts, Policies(h).Retries));

        // The scheduler's enforcement: the worker never answered within the timeout and its grace.
        h.Clock.Advance(2 * Second);
        h.Alarms();

        Assert.StartsWith("timed out after 500 ms: worker node", h.Status(byScheduler).Error);
        Assert.Equal((3L, 1L), (Policies(h).Timeouts, Policies(h).Retries));
    }

    [Fact]
    public void A_quota_wait_is_counted_once_per_wait_however_often_dispatch_runs()
    {
        var h = new StateHarness(SchedulerSettings.Default with { DefaultMaxRunning = 2 });
        h.Register("n", slots: 8);
        for (var i = 0; i < 5; i++) h.Submit("alice");

        h.Dispatch();
        h.Dispatch();
        h.DispatchInBatches(256);
        Assert.Equal(1L, Policies(h).QuotaWaits);

        // One ends: the next starts, and alice is at her quota with tasks waiting again: a second wait.
        h.Succeed(h.State.RunningTasks().First().Id);
        Assert.Equal(1, h.DispatchInBatches(256));
        Assert.Equal(2L, Policies(h).QuotaWaits);

        // bob, under no quota pressure, never counts; a user with nothing queued at its quota counts when a task arrives.
        h.Submit("bob");
        h.Dispatch();
        var carol = new StateHarness(SchedulerSettings.Default with { DefaultMaxRunning = 1 });
        carol.Register("n", slots: 8);
        carol.Submit("carol");
        carol.Dispatch();
        Assert.Equal(0L, Policies(carol).QuotaWaits);
        carol.Submit("carol");
        carol.Dispatch();
        Assert.Equal(1L, Policies(carol).QuotaWaits);
        Assert.Equal(2L, Policies(h).QuotaWaits);
    }

    [Fact]
    public void A_batch_that_would_fill_a_quota_counts_nothing_until_the_starts_happen()
    {
        var h = new StateHarness(SchedulerSettings.Default with { DefaultMaxRunning = 2 });
        h.Register("n", slots: 8, tasks: ["other"]);
        for (var i = 0; i < 5; i++) h.Submit("alice");

        // The node handles no echo: the batch picks alice's tasks as if they started (up to her quota), puts them back, and none starts.
        Assert.Equal(0, h.DispatchInBatches(256));
        Assert.Equal(5, h.State.Queues.Queued);

        Assert.Equal(0L, Policies(h).QuotaWaits);
    }

    [Fact]
    public void A_quota_lowered_under_the_running_count_starts_a_wait_of_the_queued_tasks()
    {
        var h = new StateHarness();
        h.Register("n", slots: 3);
        for (var i = 0; i < 5; i++) h.Submit("alice");
        h.Dispatch();
        Assert.Equal(0L, Policies(h).QuotaWaits);

        Assert.IsType<UserPolicySet>(h.Do(h.State.DecideUserPolicy(new SetUserPolicy("alice", MaxRunning: 2), h.Now)));

        Assert.Equal(1L, Policies(h).QuotaWaits);
    }

    [Fact]
    public void Waiting_tasks_are_counted_by_kind_and_listed_with_their_pending_reasons_soonest_or_oldest_first()
    {
        var h = new StateHarness(SchedulerSettings.Default with { ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 1 } });
        h.Register("n1", slots: 4);
        var later = Submit(h, new SubmitTask("echo", "{}", "alice") { Delay = 30 * Second });
        var sooner = Submit(h, new SubmitTask("echo", "{}", "bob") { Delay = 10 * Second });
        var parent = Submit(h, new SubmitTask("echo", "{}", "alice") { Delay = 60 * Second });
        var child1 = Submit(h, new SubmitTask("echo", "{}", "alice") { After = [parent] });
        var child2 = Submit(h, new SubmitTask("echo", "{}", "alice") { After = [parent] });
        var holder = Submit(h, new SubmitTask("echo", "{}", "alice") { ConcurrencyKey = "db" });
        var keyed = Submit(h, new SubmitTask("echo", "{}", "alice") { ConcurrencyKey = "db" });
        var failing = Submit(h, new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(1, 5 * Second) });
        h.Dispatch();
        Fail(h, failing, "boom");

        var policies = Policies(h);

        Assert.Equal((3, 1, 2, 1), (policies.Delayed, policies.Retrying, policies.WaitingForDependencies, policies.WaitingForKey));
        Assert.Equal(TaskState.Running, h.Status(holder).State);
        Assert.Equal(
            [
                (sooner, PolicyWait.Delayed), (later, PolicyWait.Delayed), (parent, PolicyWait.Delayed),
                (failing, PolicyWait.Retrying), (child1, PolicyWait.Dependencies), (child2, PolicyWait.Dependencies),
                (keyed, PolicyWait.ConcurrencyKey),
            ],
            policies.Waiting.Select(w => (w.TaskId, w.Kind)));
        // Each says what its status says.
        foreach (var waiting in policies.Waiting) Assert.Equal(h.Status(waiting.TaskId).PendingReason, waiting.PendingReason);
        Assert.Equal("waiting for concurrency key db (1 of 1 running)", policies.Waiting.Single(w => w.Kind == PolicyWait.ConcurrencyKey).PendingReason);
        Assert.Equal("retrying in 5.0 s after: boom", policies.Waiting.Single(w => w.Kind == PolicyWait.Retrying).PendingReason);
        Assert.Equal(h.Now + 10 * Second, policies.Waiting[0].DueAt);
        Assert.Null(policies.Waiting.Single(w => w.TaskId == child1).DueAt);
        Assert.Equal("bob", policies.Waiting[0].UserId);

        // At most the asked number of each kind, the first ones.
        Assert.Equal([sooner, failing, child1, keyed], Policies(h, listed: 1).Waiting.Select(w => w.TaskId));
        Assert.Empty(Policies(h, listed: 0).Waiting);
        Assert.Equal(3, Policies(h, listed: 0).Delayed);
        // A request from before the policies' figures is answered as before.
        Assert.Null(h.State.StatisticsView(GetStatistics.Instance, h.Now).Policies);
    }

    [Fact]
    public void Delayed_and_retrying_tasks_fall_due_in_one_order_whichever_set_they_wait_in()
    {
        var h = new StateHarness();
        h.Register("n1");
        var failing = Submit(h, new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(1, 2 * Second) });
        h.Dispatch();
        var delayedLater = Submit(h, new SubmitTask("echo", "{}", "alice") { Delay = 3 * Second });
        var delayedSooner = Submit(h, new SubmitTask("echo", "{}", "alice") { Delay = Second });
        Fail(h, failing, "boom");

        h.Clock.Advance(5 * Second);
        var decision = h.State.DecideAlarms(h.Now);

        Assert.Equal([delayedSooner, failing, delayedLater], decision.Events.Cast<TaskDue>().Select(e => e.TaskId));
        h.Apply(decision.Events);
        Assert.Equal((0, 0, 3), (Policies(h).Delayed, Policies(h).Retrying, h.State.Queues.Queued));
    }

    [Fact]
    public void The_figures_come_from_the_indexes_and_agree_with_the_waiting_tasks_after_a_cancel_of_each_kind()
    {
        var h = new StateHarness(SchedulerSettings.Default with { ConcurrencyLimits = new Dictionary<string, int> { ["db"] = 0 } });
        var delayed = Submit(h, new SubmitTask("echo", "{}", "alice") { Delay = 10 * Second });
        var child = Submit(h, new SubmitTask("echo", "{}", "alice") { After = [delayed] });
        var keyed = Submit(h, new SubmitTask("echo", "{}", "alice") { ConcurrencyKey = "db" });
        Assert.Equal((1, 1, 1), (Policies(h).Delayed, Policies(h).WaitingForDependencies, Policies(h).WaitingForKey));

        h.Do(h.State.DecideCancel(keyed, h.Now));
        h.Do(h.State.DecideCancel(child, h.Now));
        h.Do(h.State.DecideCancel(delayed, h.Now));

        var policies = Policies(h);
        Assert.Equal((0, 0, 0, 0), (policies.Delayed, policies.Retrying, policies.WaitingForDependencies, policies.WaitingForKey));
        Assert.Empty(policies.Waiting);
    }
}
