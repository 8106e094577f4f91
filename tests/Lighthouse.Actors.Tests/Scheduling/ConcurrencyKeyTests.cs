using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// Concurrency keys on the plain state (docs/task-policies.md): at most limit(KEY) tasks with a key hold its slots (queued
/// or running), the others wait in the key's first-in-first-out list outside the user queues; every way a holder lets go
/// admits the next waiter; runtime limits raise, lower (running tasks keep running), pause and go back to the configuration.
/// </summary>
public sealed class ConcurrencyKeyTests
{
    private static SchedulerSettings Limits(params (string Key, int Limit)[] limits) =>
        SchedulerSettings.Default with { ConcurrencyLimits = limits.ToDictionary(l => l.Key, l => l.Limit) };

    private static object? SubmitKeyed(StateHarness h, string key, string user = "alice", string[]? after = null, TimeSpan? delay = null, RetryPolicy? retry = null) =>
        h.Submit(new SubmitTask("echo", "{}", user) { ConcurrencyKey = key, After = after, Delay = delay, Retry = retry });

    private static string Keyed(StateHarness h, string key = "db", string user = "alice", string[]? after = null, TimeSpan? delay = null, RetryPolicy? retry = null) =>
        Assert.IsType<SubmissionAccepted>(SubmitKeyed(h, key, user, after, delay, retry)).TaskId;

    private static List<string> Running(StateHarness h, IEnumerable<string> ids) => ids.Where(id => h.Status(id).State == TaskState.Running).ToList();

    private static object? SetLimit(StateHarness h, string key, int? limit) => h.Do(h.State.DecideConcurrencyLimit(new SetConcurrencyLimit(key, limit), h.Now));

    private static ConcurrencyKeyView View(StateHarness h, string key) => h.State.KeyView(key);

    [Fact]
    public void At_most_the_limit_run_and_the_others_wait_outside_the_queues_saying_why()
    {
        var h = new StateHarness(Limits(("db", 2)));
        h.Register("n1", slots: 8);
        var tasks = Enumerable.Range(0, 6).Select(_ => Keyed(h)).ToList();

        Assert.Equal(2, h.Dispatch());
        Assert.Equal(tasks[..2], Running(h, tasks));
        Assert.Equal(0, h.State.Queues.Queued);
        Assert.Equal(4, h.State.Keys.Waiting);
        Assert.Equal("waiting for concurrency key db (2 of 2 running)", h.Status(tasks[2]).PendingReason);
        Assert.Equal("db", h.Status(tasks[2]).ConcurrencyKey);
        Assert.Equal(new ConcurrencyKeyView("db", 2, 2, null, 2, 0, 4), View(h, "db"));
        Assert.Equal(4, h.State.Keys.Waits);
    }

    [Fact]
    public void Each_end_of_a_holder_admits_the_next_waiter_first_in_first_out()
    {
        var h = new StateHarness(Limits(("db", 1)));
        h.Register("n1", slots: 8);
        var a = Keyed(h);
        var b = Keyed(h);
        var c = Keyed(h);
        var d = Keyed(h);
        h.Dispatch();

        h.Succeed(a);
        h.Dispatch();
        Assert.Equal([b], Running(h, [a, b, c, d]));
        Assert.Null(h.Report(new ReportFailure(b, "boom")));
        h.Dispatch();
        Assert.Equal([c], Running(h, [a, b, c, d]));
        Assert.IsType<CancelPending>(h.Do(h.State.DecideCancel(c, h.Now)));
        Assert.Null(h.Report(new AcknowledgeCancel(c)));
        h.Dispatch();
        Assert.Equal([d], Running(h, [a, b, c, d]));
        Assert.Equal(new ConcurrencyKeyView("db", 1, 1, null, 1, 0, 0), View(h, "db"));
    }

    [Fact]
    public void A_waiter_cancelled_leaves_the_list_and_a_queued_holder_cancelled_frees_its_slot()
    {
        var h = new StateHarness(Limits(("db", 1)));
        var holder = Keyed(h);
        var waiter = Keyed(h);
        var next = Keyed(h);

        Assert.IsType<TaskCancelled>(h.Do(h.State.DecideCancel(waiter, h.Now)));
        Assert.Equal("cancelled while waiting for concurrency key db", h.Status(waiter).Error);
        Assert.Equal(1, h.State.Keys.Waiting);

        // No node yet: the holder is queued, holding the slot; cancelling it admits the next.
        Assert.IsType<TaskCancelled>(h.Do(h.State.DecideCancel(holder, h.Now)));
        Assert.Equal(0, h.State.Keys.Waiting);
        Assert.Equal(1, h.State.Queues.Queued);
        h.Register("n1", slots: 4);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(next).State);
    }

    [Fact]
    public void Tasks_without_a_key_and_with_another_key_go_by_a_full_key()
    {
        var h = new StateHarness(Limits(("db", 1), ("api", 1)));
        h.Register("n1", slots: 8);
        var db = Keyed(h, "db");
        var dbWaiting = Keyed(h, "db");
        var api = Keyed(h, "api");
        var plain = h.Submit();

        Assert.Equal(3, h.Dispatch());
        Assert.Equal([db, api, plain], Running(h, [db, dbWaiting, api, plain]));
    }

    [Fact]
    public void A_task_re_queued_from_a_lost_node_keeps_its_slot_so_the_key_is_never_over_used()
    {
        var h = new StateHarness(Limits(("db", 1)));
        h.Register("n1", slots: 4);
        var a = Keyed(h);
        var b = Keyed(h);
        h.Dispatch();

        h.Lose("n1");
        Assert.Equal(TaskState.Queued, h.Status(a).State);
        Assert.True(h.State.Tasks.Find(a)!.HoldsKeySlot);
        Assert.True(h.State.Tasks.Find(b)!.WaitsForKey);
        h.Register("n2", slots: 4);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal((TaskState.Running, "n2"), (h.Status(a).State, h.Status(a).Node));
        Assert.Equal(TaskState.Queued, h.Status(b).State);
    }

    [Fact]
    public void A_task_re_queued_over_a_lowered_limit_gives_its_slot_back_and_waits_instead_of_starting_over_it()
    {
        var h = new StateHarness(Limits(("db", 2)));
        h.Register("n1", slots: 1);
        h.Register("n2", slots: 1);
        var a = Keyed(h);
        var b = Keyed(h);
        Assert.Equal(2, h.Dispatch());
        SetLimit(h, "db", 1);

        h.Lose(h.NodeOf(a));

        // b still runs and holds the one slot the key has now: a waits at the head of the key's list, not in a queue.
        var requeued = h.State.Tasks.Find(a)!;
        Assert.Equal((TaskState.Queued, false, true), (requeued.State, requeued.HoldsKeySlot, requeued.WaitsForKey));
        h.Register("n3", slots: 1);
        Assert.Equal(0, h.Dispatch());
        h.Succeed(b);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal(TaskState.Running, h.Status(a).State);
    }

    [Fact]
    public void A_retry_waits_without_its_slot_and_queues_behind_the_tasks_that_waited_meanwhile()
    {
        var h = new StateHarness(Limits(("db", 1)));
        h.Register("n1", slots: 4);
        var retried = Keyed(h, retry: new RetryPolicy(2, TimeSpan.FromSeconds(1)));
        var other = Keyed(h);
        h.Dispatch();

        Assert.Null(h.Report(new ReportFailure(retried, "boom")));
        h.Dispatch();
        Assert.Equal([other], Running(h, [retried, other]));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Alarms();
        Assert.True(h.State.Tasks.Find(retried)!.WaitsForKey);
        Assert.Equal("waiting for concurrency key db (1 of 1 running)", h.Status(retried).PendingReason);
        h.Succeed(other);
        h.Dispatch();
        Assert.Equal([retried], Running(h, [retried, other]));
    }

    [Fact]
    public void A_child_and_a_delayed_task_take_their_slot_only_when_free_to_queue()
    {
        var h = new StateHarness(Limits(("db", 1)));
        h.Register("n1", slots: 4);
        var parent = h.Submit();
        var child = Keyed(h, after: [parent]);
        var delayed = Keyed(h, delay: TimeSpan.FromSeconds(5));
        var now = Keyed(h);

        h.Dispatch();
        Assert.Equal([parent, now], Running(h, [parent, child, delayed, now]));
        Assert.False(h.State.Tasks.Find(child)!.HoldsKeySlot);
        Assert.False(h.State.Tasks.Find(delayed)!.HoldsKeySlot);

        h.Succeed(parent);
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        h.Alarms();
        // Released by its parent first, then due: both wait for the key in that order.
        Assert.Equal([child, delayed], h.State.Keys.Find("db")!.Waiting.Select(t => t.Id));
        h.Succeed(now);
        h.Dispatch();
        Assert.Equal([child], Running(h, [child, delayed]));
    }

    [Fact]
    public void A_lower_limit_stops_starts_not_running_tasks_and_sends_queued_holders_back_to_the_head()
    {
        var h = new StateHarness(Limits(("db", 4)));
        h.Register("n1", slots: 2);
        var tasks = Enumerable.Range(0, 6).Select(_ => Keyed(h)).ToList();
        h.Dispatch();
        // Two run (the node has 2 slots), two hold a slot in the queue, two wait.
        Assert.Equal(new ConcurrencyKeyView("db", 4, 4, null, 2, 2, 2), View(h, "db"));

        var set = SetLimit(h, "db", 1);
        Assert.Null(set);
        Assert.Equal(new ConcurrencyKeyView("db", 1, 4, 1, 2, 0, 4), View(h, "db"));
        Assert.Equal(tasks[2..], h.State.Keys.Find("db")!.Waiting.Select(t => t.Id));
        Assert.Equal(0, h.State.Queues.Queued);
        Assert.Equal(tasks[..2], Running(h, tasks));
        Assert.Equal("waiting for concurrency key db (2 of 1 running)", h.Status(tasks[2]).PendingReason);

        h.Succeed(tasks[0]);
        h.Dispatch();
        Assert.Equal([tasks[1]], Running(h, tasks));
        h.Succeed(tasks[1]);
        h.Dispatch();
        Assert.Equal([tasks[2]], Running(h, tasks));
    }

    [Fact]
    public void A_placement_answer_for_a_task_sent_back_to_wait_meanwhile_is_dropped()
    {
        var h = new StateHarness(Limits(("db", 2)));
        h.Register("n1", slots: 1);
        var a = Keyed(h);
        var b = Keyed(h);
        h.Dispatch();
        var request = h.State.NextPlacement();
        Assert.Null(request);
        h.Register("n2", slots: 1);
        request = h.State.NextPlacement()!;
        Assert.Equal(b, request.TaskId);

        SetLimit(h, "db", 1);
        var decision = h.State.DecidePlacement(h.Placer.Place(request), h.Now);
        Assert.Empty(decision.Events);
        Assert.True(decision.Release);
        Assert.True(h.State.Tasks.Find(b)!.WaitsForKey);
        Assert.Equal([a], Running(h, [a, b]));
    }

    [Fact]
    public void A_higher_limit_admits_waiters_and_zero_pauses_the_key()
    {
        var h = new StateHarness(Limits(("db", 1)));
        h.Register("n1", slots: 8);
        var tasks = Enumerable.Range(0, 4).Select(_ => Keyed(h)).ToList();
        h.Dispatch();

        Assert.IsType<ConcurrencyLimitRejected>(SetLimit(h, "db", -1));
        SetLimit(h, "db", 3);
        h.Dispatch();
        Assert.Equal(tasks[..3], Running(h, tasks));

        SetLimit(h, "db", 0);
        h.Succeed(tasks[0]);
        h.Dispatch();
        Assert.Equal(tasks[1..3], Running(h, tasks));
        Assert.Equal("waiting for concurrency key db (its limit is 0: the key is paused; 2 running)", h.Status(tasks[3]).PendingReason);
    }

    [Fact]
    public void Removing_the_runtime_limit_gives_the_configured_one_back_and_an_idle_unconfigured_key_is_forgotten()
    {
        var h = new StateHarness(Limits(("db", 2)));
        h.Register("n1", slots: 8);
        SetLimit(h, "db", 1);
        SetLimit(h, "api", 1);
        var tasks = Enumerable.Range(0, 3).Select(_ => Keyed(h)).ToList();
        h.Dispatch();
        Assert.Single(Running(h, tasks));

        SetLimit(h, "db", null);
        h.Dispatch();
        Assert.Equal(tasks[..2], Running(h, tasks));
        Assert.Equal(new ConcurrencyKeyView("db", 2, 2, null, 2, 0, 1), View(h, "db"));

        SetLimit(h, "api", null);
        Assert.Null(h.State.Keys.Find("api"));
        Assert.Equal(["db"], h.State.LimitsView().Keys.Select(k => k.Key));
    }

    [Fact]
    public void A_key_without_a_limit_is_unlimited_but_counted_unless_a_default_limit_is_configured()
    {
        var unlimited = new StateHarness();
        unlimited.Register("n1", slots: 8);
        var tasks = Enumerable.Range(0, 5).Select(_ => Keyed(unlimited, "free")).ToList();
        Assert.Equal(5, unlimited.Dispatch());
        Assert.Equal(new ConcurrencyKeyView("free", null, null, null, 5, 0, 0), View(unlimited, "free"));
        foreach (var task in tasks) unlimited.Succeed(task);
        Assert.Null(unlimited.State.Keys.Find("free"));

        var limited = new StateHarness(SchedulerSettings.Default with { DefaultConcurrencyLimit = 2 });
        limited.Register("n1", slots: 8);
        for (var i = 0; i < 5; i++) Keyed(limited, "any");
        Assert.Equal(2, limited.Dispatch());
    }

    [Fact]
    public void Bad_keys_and_limits_are_refused_naming_the_field_and_the_configuration_key()
    {
        var h = new StateHarness(SchedulerSettings.Default with { MaxConcurrencyKeys = 2, MaxConcurrencyLimit = 10 });
        Assert.Contains("concurrency_key \"a/b\" contains '/'", Assert.IsType<SubmissionRejected>(SubmitKeyed(h, "a/b")).Reason);
        Assert.Contains("concurrency_key is empty", Assert.IsType<SubmissionRejected>(SubmitKeyed(h, " ")).Reason);
        Keyed(h, "one");
        Keyed(h, "two");
        var tooMany = Assert.IsType<SubmissionRejected>(SubmitKeyed(h, "three"));
        Assert.Equal(RejectionCode.InvalidSubmission, tooMany.Code);
        Assert.Contains("lighthouse.scheduler.max-concurrency-keys", tooMany.Reason);
        Keyed(h, "two");

        Assert.Contains("lighthouse.scheduler.max-concurrency-limit", Assert.IsType<ConcurrencyLimitRejected>(SetLimit(h, "one", 11)).Reason);
        Assert.Contains("key \"x y\" contains ' '", Assert.IsType<ConcurrencyLimitRejected>(SetLimit(h, "x y", 1)).Reason);
        Assert.Contains("lighthouse.scheduler.max-concurrency-keys", Assert.IsType<ConcurrencyLimitRejected>(SetLimit(h, "three", 1)).Reason);
        // Removing a limit never makes a key, so it is never refused for the count.
        Assert.Null(SetLimit(h, "three", null));
        Assert.Null(SetLimit(h, "one", 10));
    }

    [Fact]
    public void Waiting_tasks_count_against_the_queue_caps()
    {
        var h = new StateHarness(Limits(("db", 1)) with { QueueCapPerUser = 3 });
        for (var i = 0; i < 3; i++) Keyed(h);
        Assert.Equal(2, h.State.Keys.Waiting);
        Assert.Equal(RejectionCode.QueueFull, Assert.IsType<SubmissionRejected>(SubmitKeyed(h, "db")).Code);
    }

    [Fact]
    public void Adoption_takes_no_waiter()
    {
        var h = new StateHarness(Limits(("db", 1)));
        var holder = Keyed(h);
        var waiter = Keyed(h);
        h.Register("n1", slots: 4);

        var reported = h.State.DecideReported("n1", [holder, waiter], h.Now);
        Assert.Equal([holder], reported.Events.OfType<TaskAdopted>().Select(e => e.TaskId));
        Assert.Equal([waiter], reported.Cancel);
    }

    [Fact]
    public void A_restored_snapshot_keeps_holders_waiters_in_order_and_runtime_limits()
    {
        var h = new StateHarness(Limits(("db", 3)));
        h.Register("n1", slots: 1);
        var tasks = Enumerable.Range(0, 5).Select(_ => Keyed(h)).ToList();
        h.Dispatch();
        SetLimit(h, "db", 2);
        SetLimit(h, "api", 7);

        var restored = SchedulerState.Restore(h.State.Settings, h.State.Capture());
        Assert.Equal(h.State.LimitsView().Keys, restored.LimitsView().Keys);
        Assert.Equal(new ConcurrencyKeyView("api", 7, null, 7, 0, 0, 0), restored.KeyView("api"));
        Assert.Equal(tasks[2..], restored.Keys.Find("db")!.Waiting.Select(t => t.Id));
        Assert.Equal(h.State.Status(tasks[3], h.Now), restored.Status(tasks[3], h.Now));
    }

    [Fact]
    public void A_snapshot_restored_under_a_lower_configured_limit_sends_queued_holders_back_and_runs_nothing_new()
    {
        var h = new StateHarness(Limits(("db", 3)));
        h.Register("n1", slots: 1);
        var tasks = Enumerable.Range(0, 4).Select(_ => Keyed(h)).ToList();
        h.Dispatch();

        var restored = SchedulerState.Restore(Limits(("db", 1)), h.State.Capture());
        Assert.Equal(new ConcurrencyKeyView("db", 1, 1, null, 1, 0, 3), restored.KeyView("db"));
        Assert.Equal(tasks[1..], restored.Keys.Find("db")!.Waiting.Select(t => t.Id));
    }

    [Fact]
    public void A_journal_replayed_under_a_lower_configured_limit_keeps_the_starts_it_holds_and_starts_nothing_more()
    {
        var live = new StateHarness(Limits(("db", 3)));
        live.Register("n1", slots: 8);
        var tasks = Enumerable.Range(0, 4).Select(_ => Keyed(live)).ToList();
        live.Dispatch();
        Assert.Equal(3, Running(live, tasks).Count);

        // The same events replayed into a state configured lower (the operator lowered the limit before a restart).
        var replayed = new SchedulerState(Limits(("db", 1)));
        foreach (var change in live.Events.Where(e => e is not TaskUnplaced)) replayed.Apply(change);
        Assert.Equal(new ConcurrencyKeyView("db", 1, 1, null, 3, 0, 1), replayed.KeyView("db"));
        Assert.Null(replayed.NextPlacement());
        live.Succeed(tasks[0]);
        replayed.Apply(live.Events[^1]);
        Assert.Null(replayed.NextPlacement());
    }

    [Fact]
    public void Configured_limits_are_read_and_bad_ones_name_their_key()
    {
        var settings = SchedulerSettings.FromConfig(ConfigurationFactory.ParseString(
            """
            lighthouse.scheduler {
              concurrency-limits { db = 2, "api:stripe" = 0 }
              default-concurrency-limit = 5
            }
            """));
        Assert.Equal(new Dictionary<string, int> { ["api:stripe"] = 0, ["db"] = 2 }, settings.ConcurrencyLimits);
        Assert.Equal(5, settings.DefaultConcurrencyLimit);
        Assert.Null(SchedulerSettings.Default.DefaultConcurrencyLimit);

        var negative = Assert.Throws<ConfigurationException>(() => SchedulerSettings.FromConfig(ConfigurationFactory.ParseString(
            "lighthouse.scheduler.concurrency-limits { db = -1 }")));
        Assert.Contains("lighthouse.scheduler.concurrency-limits.db = \"-1\" is invalid", negative.Message);
        var badKey = Assert.Throws<ConfigurationException>(() => SchedulerSettings.FromConfig(ConfigurationFactory.ParseString(
            "lighthouse.scheduler.concurrency-limits { \"a b\" = 1 }")));
        Assert.Contains("contains ' '", badKey.Message);
        var badDefault = Assert.Throws<ConfigurationException>(() => SchedulerSettings.FromConfig(ConfigurationFactory.ParseString(
            "lighthouse.scheduler.default-concurrency-limit = lots")));
        Assert.Contains("lighthouse.scheduler.default-concurrency-limit", badDefault.Message);
    }
}
