using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// Task policies survive a restart: replaying the journal (each event through its stored bytes), or restoring a snapshot
/// (through its bytes), gives back a retrying task's attempt count, errors and next time, a delayed task's time and a running
/// task's deadline, and the restored state decides as the live one would from then on.
/// </summary>
public sealed class TaskPolicyRecoveryTests
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default with { TimeoutGrace = TimeSpan.FromSeconds(1) };

    private static (JournaledHarness Harness, string Retrying, string Delayed, string Timed) Scenario()
    {
        var h = new JournaledHarness(Settings, new ManualTimeProvider());
        h.Register("n1", 2, ["echo"]);
        var retrying = h.SubmitWith(new SubmitTask("echo", "{}", "alice") { Retry = new RetryPolicy(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)) });
        var delayed = h.SubmitWith(new SubmitTask("echo", "{}", "bob") { Delay = TimeSpan.FromMinutes(5) });
        var timed = h.SubmitWith(new SubmitTask("echo", "{}", "carol") { Timeout = TimeSpan.FromSeconds(30) });
        h.Dispatch();
        Assert.Null(h.Report(new ReportFailure(retrying, "first")));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        h.Alarms();
        h.Dispatch();
        Assert.Null(h.Report(new ReportFailure(retrying, "second")));
        return (h, retrying, delayed, timed);
    }

    private static byte[] Stored(SchedulerImage image) => SchedulerJournalSerializer.Encode(new SchedulerSnapshot(image));

    private static object RoundTrip(object item) =>
        SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(item), PersistenceAkka.Serializer.Manifest(item));

    private static void AssertKept(SchedulerState state, JournaledHarness live, string retrying, string delayed, string timed)
    {
        var now = live.Clock.GetUtcNow();
        var task = state.Status(retrying, now)!;
        Assert.Equal(TaskState.Queued, task.State);
        Assert.Equal(2, task.Attempts);
        Assert.Equal(2, task.Retries);
        Assert.Equal(["first", "second"], task.AttemptErrors);
        Assert.Equal(now + TimeSpan.FromSeconds(4), task.NextAttemptAt);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), task.Retry);
        Assert.Equal(live.State.Status(delayed, now)!.NotBefore, state.Status(delayed, now)!.NotBefore);
        Assert.Equal(TimeSpan.FromSeconds(30), state.Status(timed, now)!.Timeout);
        Assert.Equal(live.State.Alarms.NextWake, state.Alarms.NextWake);
        Assert.Equal(2, state.Alarms.Waiting);
    }

    [Fact]
    public void Replaying_the_stored_journal_keeps_the_attempts_errors_and_times_of_every_policy()
    {
        var (live, retrying, delayed, timed) = Scenario();
        var replayed = new SchedulerState(Settings);

        foreach (var change in live.Journal) replayed.Apply((SchedulerEvent)RoundTrip(change));

        Assert.Equal(Stored(live.State.Capture()), Stored(replayed.Capture()));
        AssertKept(replayed, live, retrying, delayed, timed);
    }

    [Fact]
    public void A_stored_snapshot_keeps_them_too_and_the_restored_state_retries_delays_and_times_out_on_time()
    {
        var (live, retrying, delayed, timed) = Scenario();
        var bytes = Stored(live.State.Capture());
        Assert.Equal("SQ", PersistenceAkka.Serializer.Manifest(new SchedulerSnapshot(live.State.Capture())));
        var image = Assert.IsType<SchedulerSnapshot>(SchedulerJournalSerializer.Decode(bytes, "SQ")).Image;
        var restored = new JournaledHarness(Settings, new ManualTimeProvider(live.Clock.GetUtcNow()), SchedulerState.Restore(Settings, image));

        Assert.Equal(bytes, Stored(restored.State.Capture()));
        AssertKept(restored.State, live, retrying, delayed, timed);

        // Nothing runs early: just before the retry is due, nothing starts; at its time, it does.
        restored.Clock.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromTicks(1));
        restored.Alarms();
        restored.Dispatch();
        Assert.Empty(restored.Starts);
        restored.Clock.Advance(TimeSpan.FromTicks(1));
        restored.Alarms();
        restored.Dispatch();
        Assert.Equal([(retrying, "n1", 3)], restored.Starts);

        // The running task's deadline (30 s timeout + 1 s grace from its start) was restored with it.
        restored.Clock.Advance(TimeSpan.FromSeconds(27));
        restored.Alarms();
        Assert.Equal(TaskState.Failed, restored.State.Status(timed, restored.Clock.GetUtcNow())!.State);
        Assert.Equal(TaskState.Queued, restored.State.Status(delayed, restored.Clock.GetUtcNow())!.State);
    }

    [Fact]
    public void A_state_without_policies_is_stored_as_before_them()
    {
        var h = new JournaledHarness(Settings, new ManualTimeProvider());
        h.Register("n1", 1, ["echo"]);
        h.Submit("alice");
        h.Dispatch();

        Assert.Equal("SS", PersistenceAkka.Serializer.Manifest(new SchedulerSnapshot(h.State.Capture())));
        Assert.Equal("TS", PersistenceAkka.Serializer.Manifest(h.Journal.OfType<TaskSubmitted>().Single()));
    }

    [Fact]
    public void Submissions_with_and_without_policies_stored_in_one_batch_row_read_back_in_order()
    {
        var at = new ManualTimeProvider().GetUtcNow();
        var plain = new TaskSubmitted("task-1", 1, "echo", "alice", 0, "{}", new SortedDictionary<string, double>(), new SortedSet<string>(), null, 3, null, at);
        var delayed = plain with { TaskId = "task-2", Sequence = 2, NotBefore = at.AddMinutes(1), Retry = new RetryPolicy(2, TimeSpan.FromSeconds(1)) };
        var batch = new EventBatch([delayed, plain, delayed with { TaskId = "task-3", Sequence = 3, Timeout = TimeSpan.FromSeconds(9) }]);

        var read = Assert.IsType<EventBatch>(RoundTrip(batch));

        Assert.Equal(["task-2", "task-1", "task-3"], read.Events.Cast<TaskSubmitted>().Select(e => e.TaskId));
        Assert.Equal(SchedulerJournalSerializer.Encode(batch), SchedulerJournalSerializer.Encode(read));
        Assert.Equal(TimeSpan.FromSeconds(9), ((TaskSubmitted)read.Events[2]).Timeout);
        Assert.Null(((TaskSubmitted)read.Events[1]).Retry);
    }
}
