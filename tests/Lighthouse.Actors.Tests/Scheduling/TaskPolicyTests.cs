using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Task policies on the plain state with a manual clock (docs/task-policies.md): retries with back-off, timeouts enforced by
/// the scheduler, delays; the one alarm that serves them all; and the limits on every new input.
/// </summary>
public sealed class TaskPolicyTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static string Submit(StateHarness h, RetryPolicy? retry = null, TimeSpan? timeout = null, TimeSpan? delay = null,
        DateTimeOffset? notBefore = null, int? maxAttempts = null, string user = "alice") =>
        Assert.IsType<SubmissionAccepted>(h.Submit(new SubmitTask("echo", "{}", user, MaxAttempts: maxAttempts)
        {
            Retry = retry,
            Timeout = timeout,
            Delay = delay,
            NotBefore = notBefore,
        })).TaskId;

    private static void Fail(StateHarness h, string taskId, string error) => Assert.Null(h.Report(new ReportFailure(taskId, error)));

    [Fact]
    public void A_failed_task_is_retried_after_its_back_off_doubling_and_fails_for_good_after_its_last_retry()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 2);
        var task = Submit(h, new RetryPolicy(2, Second));
        h.Dispatch();

        Fail(h, task, "boom 1");
        var waiting = h.Status(task);
        Assert.Equal(TaskState.Queued, waiting.State);
        Assert.Equal("retrying in 1.0 s after: boom 1", waiting.PendingReason);
        Assert.Equal(h.Now + Second, waiting.NextAttemptAt);
        Assert.Equal(["boom 1"], waiting.AttemptErrors);
        Assert.Equal(0, h.Dispatch());

        h.Clock.Advance(Second - TimeSpan.FromMilliseconds(1));
        h.Alarms();
        Assert.Equal(0, h.Dispatch());
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        h.Alarms();
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(2, h.Status(task).Attempts);

        Fail(h, task, "boom 2");
        Assert.Equal(h.Now + 2 * Second, h.Status(task).NextAttemptAt);
        h.Clock.Advance(2 * Second);
        h.Alarms();
        h.Dispatch();
        Fail(h, task, "boom 3");

        var failed = h.Status(task);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal("boom 3 (attempt 3 of 3: no retries left)", failed.Error);
        Assert.Equal(["boom 1", "boom 2"], failed.AttemptErrors);
        Assert.Equal(2, failed.Retries);
        Assert.Equal(3, failed.Attempts);
        Assert.Null(h.State.Alarms.NextWake);
    }

    [Fact]
    public void The_back_off_doubles_up_to_its_max()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(5, Second, 3 * Second));
        var waits = new List<TimeSpan>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            h.Dispatch();
            Fail(h, task, "boom");
            var next = h.Status(task).NextAttemptAt!.Value;
            waits.Add(next - h.Now);
            h.Clock.Advance(next - h.Now);
            h.Alarms();
        }

        Assert.Equal([Second, 2 * Second, 3 * Second, 3 * Second, 3 * Second], waits);
    }

    [Fact]
    public void A_back_off_without_a_max_is_capped_at_the_schedulers_max_retry_backoff()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxRetryBackoff = TimeSpan.FromSeconds(5) });
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(100, TimeSpan.FromSeconds(4)));
        h.Dispatch();
        Fail(h, task, "boom");
        h.Clock.Advance(TimeSpan.FromSeconds(4));
        h.Alarms();
        h.Dispatch();
        Fail(h, task, "boom");

        Assert.Equal(h.Now + TimeSpan.FromSeconds(5), h.Status(task).NextAttemptAt);
    }

    [Fact]
    public void A_cancel_while_waiting_to_retry_ends_the_task_and_its_alarm()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(3, Second));
        h.Dispatch();
        Fail(h, task, "boom");

        Assert.IsType<TaskCancelled>(h.Do(h.State.DecideCancel(task, h.Now)));

        var cancelled = h.Status(task);
        Assert.Equal(TaskState.Cancelled, cancelled.State);
        Assert.Equal("cancelled while waiting to retry (after 1 failed attempt(s))", cancelled.Error);
        Assert.Null(h.State.Alarms.NextWake);
        h.Clock.Advance(10 * Second);
        Assert.Empty(h.Alarms());
        Assert.Equal(0, h.Dispatch());
    }

    [Fact]
    public void A_failure_reported_after_a_cancel_request_is_not_retried()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(3, Second));
        h.Dispatch();
        h.Do(h.State.DecideCancel(task, h.Now));

        Fail(h, task, "boom");

        Assert.Equal(TaskState.Cancelled, h.Status(task).State);
        Assert.Null(h.State.Alarms.NextWake);
    }

    [Fact]
    public void A_lost_worker_counts_against_max_attempts_apart_from_the_retries()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(1, TimeSpan.Zero), maxAttempts: 2);
        h.Dispatch();
        Fail(h, task, "boom");
        h.Alarms();
        h.Dispatch();
        Assert.Equal(2, h.Status(task).Attempts);

        // Two starts so far, but one of them was a retry: this is the first worker lost, under max attempts 2.
        h.Lose("n1");

        var requeued = h.Status(task);
        Assert.Equal(TaskState.Queued, requeued.State);
        h.Register("n2");
        h.Dispatch();
        h.Lose("n2");
        var failed = h.Status(task);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.StartsWith("the worker was lost 2 times (max attempts 2)", failed.Error);
    }

    [Fact]
    public void A_task_past_its_timeout_and_grace_is_failed_by_the_scheduler_its_slot_freed_and_its_worker_told_to_cancel()
    {
        var h = new StateHarness(SchedulerSettings.Default with { TimeoutGrace = 2 * Second });
        h.Register("n1");
        var slow = Submit(h, timeout: TimeSpan.FromMilliseconds(500));
        var next = Submit(h);
        h.Dispatch();
        Assert.Equal(h.Now + TimeSpan.FromMilliseconds(2500), h.State.Alarms.NextWake);

        h.Clock.Advance(TimeSpan.FromMilliseconds(2499));
        Assert.Empty(h.Alarms());
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var cancels = h.Alarms();

        Assert.Equal([(slow, "n1")], cancels);
        var failed = h.Status(slow);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.StartsWith("timed out after 500 ms: worker node \"n1\" did not end it within the 2 s grace", failed.Error);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(next).State);
    }

    [Fact]
    public void A_timeout_the_scheduler_enforces_is_retried_under_a_retry_policy()
    {
        var h = new StateHarness(SchedulerSettings.Default with { TimeoutGrace = Second });
        h.Register("n1");
        var task = Submit(h, new RetryPolicy(1, Second), timeout: Second);
        h.Dispatch();
        h.Clock.Advance(2 * Second);
        h.Alarms();

        var retrying = h.Status(task);
        Assert.Equal(TaskState.Queued, retrying.State);
        Assert.StartsWith("retrying in 1.0 s after: timed out after 1000 ms", retrying.PendingReason);
    }

    [Fact]
    public void A_task_that_ends_in_time_has_no_deadline_left()
    {
        var h = new StateHarness();
        h.Register("n1");
        var task = Submit(h, timeout: Second);
        h.Dispatch();
        Assert.NotNull(h.State.Alarms.NextWake);

        h.Succeed(task);

        Assert.Null(h.State.Alarms.NextWake);
    }

    [Fact]
    public void A_delayed_task_waits_until_its_time_and_says_so()
    {
        var h = new StateHarness();
        h.Clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(42));
        h.Register("n1");
        var task = Submit(h, delay: TimeSpan.FromMilliseconds(1500));

        var waiting = h.Status(task);
        Assert.Equal(h.Now + TimeSpan.FromMilliseconds(1500), waiting.NotBefore);
        Assert.Equal("not before " + (h.Now + TimeSpan.FromMilliseconds(1500)).UtcDateTime.ToString("HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), waiting.PendingReason);
        Assert.Null(waiting.NextAttemptAt);
        Assert.Equal(0, h.Dispatch());

        h.Clock.Advance(TimeSpan.FromMilliseconds(1499));
        h.Alarms();
        Assert.Equal(0, h.Dispatch());
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        h.Alarms();
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(h.Now, h.Status(task).StartedAt);
    }

    [Fact]
    public void A_not_before_in_the_past_queues_at_once_and_a_far_one_shows_its_date()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 2);
        var past = Submit(h, notBefore: h.Now - Second);
        var far = Submit(h, notBefore: h.Now + TimeSpan.FromDays(3));

        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(past).State);
        Assert.Equal("not before " + (h.Now + TimeSpan.FromDays(3)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            h.Status(far).PendingReason);
    }

    [Fact]
    public void One_alarm_serves_every_delayed_task_and_deadline_the_earliest_first()
    {
        var h = new StateHarness(SchedulerSettings.Default with { TimeoutGrace = Second });
        h.Register("n1");
        var delays = new[] { 30, 10, 20 }.Select(s => Submit(h, delay: TimeSpan.FromSeconds(s), user: $"u{s}")).ToList();
        Submit(h, timeout: TimeSpan.FromSeconds(4));
        h.Dispatch();
        var start = h.Now;

        Assert.Equal(start + TimeSpan.FromSeconds(5), h.State.Alarms.NextWake);
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        h.Alarms();
        Assert.Equal(start + TimeSpan.FromSeconds(10), h.State.Alarms.NextWake);
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        h.Alarms();

        Assert.Equal(start + TimeSpan.FromSeconds(30), h.State.Alarms.NextWake);
        Assert.Equal(1, h.State.Alarms.Waiting);
        Assert.Equal(TaskState.Queued, h.Status(delays[0]).State);
        Assert.NotNull(h.Status(delays[0]).PendingReason);
        Assert.StartsWith("not before", h.Status(delays[0]).PendingReason);
    }

    [Fact]
    public void Waiting_tasks_count_against_the_queue_caps()
    {
        var h = new StateHarness(SchedulerSettings.Default with { QueueCapPerUser = 2 });
        Submit(h, delay: TimeSpan.FromHours(1));
        Submit(h, delay: TimeSpan.FromHours(1));

        var refused = Assert.IsType<SubmissionRejected>(h.Submit(new SubmitTask("echo", "{}", "alice")));

        Assert.Equal(RejectionCode.QueueFull, refused.Code);
    }

    [Fact]
    public void A_node_that_reports_a_waiting_task_as_running_does_not_get_it_adopted()
    {
        var h = new StateHarness();
        h.Register("n1", slots: 2);
        var delayed = Submit(h, delay: TimeSpan.FromHours(1));

        var reported = h.State.DecideReported("n1", [delayed], h.Now);

        Assert.Empty(reported.Events);
        Assert.Equal([delayed], reported.Cancel);
    }

    public static TheoryData<string, SubmitTask> HostileSubmissions()
    {
        var now = new Lighthouse.Tests.Shared.ManualTimeProvider().GetUtcNow();
        var basic = new SubmitTask("echo", "{}", "mallory");
        return new()
        {
            { "retry attempts 101 is invalid: it must be between 0 and 100 (lighthouse.scheduler.max-retry-attempts)", basic with { Retry = new RetryPolicy(101, TimeSpan.Zero) } },
            { "retry attempts -1 is invalid: it must be between 0 and 100 (lighthouse.scheduler.max-retry-attempts)", basic with { Retry = new RetryPolicy(-1, TimeSpan.Zero) } },
            { "retry backoff 7200000 ms is over the limit of 3600000 ms (lighthouse.scheduler.max-retry-backoff)", basic with { Retry = new RetryPolicy(3, TimeSpan.FromHours(2)) } },
            { "retry backoff -1 ms is invalid: it must be zero or more", basic with { Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(-1)) } },
            { "retry max backoff 500 ms is below the backoff 1000 ms", basic with { Retry = new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)) } },
            { "retry max backoff 3600001 ms is over the limit of 3600000 ms (lighthouse.scheduler.max-retry-backoff)", basic with { Retry = new RetryPolicy(3, TimeSpan.Zero, TimeSpan.FromMilliseconds(3_600_001)) } },
            { "timeout 0 ms is invalid: it must be positive", basic with { Timeout = TimeSpan.Zero } },
            { "timeout -5 ms is invalid: it must be positive", basic with { Timeout = TimeSpan.FromMilliseconds(-5) } },
            { "timeout 691200000 ms is over the limit of 604800000 ms (lighthouse.scheduler.max-task-timeout)", basic with { Timeout = TimeSpan.FromDays(8) } },
            { "delay -1 ms is invalid: it must be zero or more", basic with { Delay = TimeSpan.FromMilliseconds(-1) } },
            { "delay 31622400000 ms is over the limit of 31536000000 ms (lighthouse.scheduler.max-delay)", basic with { Delay = TimeSpan.FromDays(366) } },
            { "is more than 31536000000 ms ahead, the limit (lighthouse.scheduler.max-delay)", basic with { NotBefore = now + TimeSpan.FromDays(730) } },
            { "both a delay and a not-before time are given: give one of them", basic with { Delay = TimeSpan.FromSeconds(1), NotBefore = now } },
        };
    }

    [Theory]
    [MemberData(nameof(HostileSubmissions))]
    public void Every_policy_input_out_of_bounds_is_refused_naming_the_field_and_its_key_and_queues_nothing(string reason, SubmitTask submission)
    {
        var h = new StateHarness();

        var refused = Assert.IsType<SubmissionRejected>(h.Submit(submission));

        Assert.Equal(RejectionCode.InvalidSubmission, refused.Code);
        Assert.Contains(reason, refused.Reason);
        Assert.Equal(0, h.State.Queues.Queued + h.State.Alarms.Waiting);
        Assert.Empty(h.State.Tasks.All);
    }

    [Fact]
    public void The_policy_limits_come_from_the_configuration()
    {
        var settings = SchedulerSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString(
            "lighthouse.scheduler { max-retry-attempts = 5, max-retry-backoff = 10s, max-task-timeout = 1m, max-delay = 2h, task-timeout-grace = 3s }"));

        Assert.Equal(5, settings.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.MaxRetryBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.MaxTaskTimeout);
        Assert.Equal(TimeSpan.FromHours(2), settings.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.TimeoutGrace);
        Assert.Equal(100, SchedulerSettings.Default.MaxRetryAttempts);
    }
}
