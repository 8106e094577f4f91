using System.Text.Json;
using Lighthouse.Actors.Tests.Scheduling;
using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The scheduler's state rebuilt from its journal, from a snapshot, and from a snapshot plus the journal after
/// it, is the state it was: the same stored image, the same answers, and the same decisions from then on.
/// </summary>
public sealed class SnapshotStateTests
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default;

    /// <summary>
    /// A day in the life: users of several priorities and shapes, nodes coming, going and becoming unreachable,
    /// progress, successes, failures, cancels of queued and running tasks, a lost node, collected and expired
    /// results, and a task no node can take. <paramref name="midway"/> receives an image and the journal length
    /// at a point in the middle.
    /// </summary>
    private static JournaledHarness Scenario(ManualTimeProvider clock, out (SchedulerImage Image, int JournalLength) midway)
    {
        var h = new JournaledHarness(Settings, clock);
        h.Register("n1", 3, ["echo", "sleep"], null, ("cpu", 4));
        h.Register("n2", 1, ["echo"], new PriorityRange(0, 5), ("cpu", 2));
        h.Register("n3", 2, ["sleep"], null, ("cpu", 8), ("ram", 16));
        var alice = Enumerable.Range(0, 4).Select(i => h.Submit("alice", requirements: ("cpu", 1))).ToList();
        var bob = Enumerable.Range(0, 3).Select(i => h.Submit("bob", "sleep", priority: 3, immunities: ["ram"], requirements: ("cpu", 2))).ToList();
        var carol = Enumerable.Range(0, 2).Select(i => h.Submit("carol", priority: 7, aversion: ["g1"], submissionId: $"c-{i}")).ToList();
        var gpu = h.Submit("dave", requirements: ("gpu", 1));
        h.Dispatch();
        clock.Advance(TimeSpan.FromSeconds(2));
        var running = h.RunningTasks.ToList();
        Assert.True(running.Count >= 4, $"only {running.Count} tasks started");
        Assert.Null(h.Report(new ReportProgress(running[0], 40)));
        Assert.Null(h.Report(new ReportSuccess(running[1], "{\"ok\":1}")));
        Assert.Null(h.Report(new ReportFailure(running[2], "disk full")));
        Assert.IsType<CancelPending>(h.Cancel(running[3]));
        midway = (h.State.Capture(), h.Journal.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.IsType<TaskCancelled>(h.Cancel(alice[3]));
        h.Dispatch();
        h.Lose("n2");
        h.SetReachable("n3", false);
        h.Register("n4", 2, ["echo", "sleep"], new PriorityRange(-10, 10), ("cpu", 3));
        h.Dispatch();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.IsType<TaskInfo>(h.Read(running[1]));
        clock.Advance(Settings.CollectedRetention + TimeSpan.FromSeconds(1));
        h.Expire();
        Assert.IsType<UnknownTask>(h.Read(running[1]));
        h.Submit("alice", submissionId: "late");
        h.Submit("erin", priority: -2);
        h.Dispatch();
        Assert.Contains(h.State.Tasks.All, t => t.State == TaskState.Queued && t.Id == gpu);
        Assert.Contains(h.State.Tasks.All, t => t.Requeued);
        Assert.Contains(h.State.Tasks.All, t => t.State == TaskState.Queued && t.Requeued is false);
        _ = bob;
        _ = carol;
        return h;
    }

    private static byte[] Stored(SchedulerImage image) => SchedulerJournalSerializer.Encode(new SchedulerSnapshot(image));

    [Fact]
    public void A_restored_state_captures_to_the_same_image()
    {
        var live = Scenario(new ManualTimeProvider(), out _).State;

        var restored = SchedulerState.Restore(Settings, live.Capture());

        Assert.Equal(Stored(live.Capture()), Stored(restored.Capture()));
    }

    [Fact]
    public void A_capture_lists_the_tasks_in_submission_order_when_new_ones_took_forgotten_ones_places()
    {
        var live = Scenario(new ManualTimeProvider(), out _).State;
        // The scenario forgets an expired task before two more submissions: the table lists one of them in its place.
        var known = live.Tasks.All.Select(t => t.Sequence).ToList();
        Assert.NotEqual(known.Order(), known);

        var captured = live.Capture().Tasks.Select(t => t.Sequence).ToList();

        Assert.Equal(known.Order(), captured);
    }

    [Fact]
    public void A_snapshot_read_back_from_its_bytes_restores_the_same_state()
    {
        var live = Scenario(new ManualTimeProvider(), out _).State;
        var bytes = Stored(live.Capture());

        var read = Assert.IsType<SchedulerSnapshot>(SchedulerJournalSerializer.Decode(bytes, "SS"));

        Assert.Equal(bytes, Stored(SchedulerState.Restore(Settings, read.Image).Capture()));
    }

    [Fact]
    public void Replaying_the_journal_rebuilds_the_live_state()
    {
        var harness = Scenario(new ManualTimeProvider(), out _);
        var replayed = new SchedulerState(Settings);

        foreach (var change in harness.Journal) replayed.Apply(RoundTrip(change));

        Assert.Equal(Stored(harness.State.Capture()), Stored(replayed.Capture()));
    }

    [Fact]
    public void A_snapshot_plus_the_journal_after_it_rebuilds_the_live_state()
    {
        var harness = Scenario(new ManualTimeProvider(), out var midway);
        var recovered = SchedulerState.Restore(Settings, midway.Image);

        foreach (var change in harness.Journal.Skip(midway.JournalLength)) recovered.Apply(RoundTrip(change));

        Assert.Equal(Stored(harness.State.Capture()), Stored(recovered.Capture()));
    }

    [Fact]
    public void A_restored_state_answers_and_decides_as_the_live_one_from_then_on()
    {
        var clock = new ManualTimeProvider();
        var live = Scenario(clock, out _);
        var restored = new JournaledHarness(Settings, new ManualTimeProvider(clock.GetUtcNow()), SchedulerState.Restore(Settings, live.State.Capture()));
        // Dispatch memos are not stored: the restored scheduler would ask the engine again, which starts nothing
        // (the live one had settled). Until it has asked, a waiting task's reason may be the more general one and its verdict unknown.
        restored.Dispatch();
        Assert.Empty(restored.Starts);
        Assert.Equal(Answers(live, withReasons: false), Answers(restored, withReasons: false));

        foreach (var harness in new[] { live, restored })
        {
            harness.Starts.Clear();
            harness.SetReachable("n3", true);
            harness.Register("n5", 4, ["echo"], null, ("cpu", 4), ("gpu", 1));
            harness.Dispatch();
            for (var round = 0; round < 20 && harness.RunningTasks.Any(); round++)
            {
                harness.Clock.Advance(TimeSpan.FromSeconds(1));
                foreach (var id in harness.RunningTasks) harness.Report(new ReportSuccess(id, "{}"));
                harness.Dispatch();
            }
        }

        Assert.NotEmpty(live.Starts);
        Assert.Equal(live.Starts, restored.Starts);
        Assert.Equal(Answers(live), Answers(restored));
    }

    [Fact]
    public void An_inconsistent_image_is_refused_naming_what_is_wrong()
    {
        var image = Scenario(new ManualTimeProvider(), out _).State.Capture();
        var running = image.Tasks.First(t => t.State == TaskState.Running);
        var broken = image with { Tasks = image.Tasks.Select(t => t == running ? t with { Node = "ghost" } : t).ToList() };

        var error = Assert.Throws<InvalidOperationException>(() => SchedulerState.Restore(Settings, broken));

        Assert.Equal($"the scheduler snapshot is inconsistent: task {running.Id} runs on unknown node \"ghost\"", error.Message);
    }

    private static SchedulerEvent RoundTrip(SchedulerEvent change) =>
        (SchedulerEvent)SchedulerJournalSerializer.Decode(SchedulerJournalSerializer.Encode(change), PersistenceAkka.Serializer.Manifest(change));

    /// <summary>Every query's answer as JSON text, with the current time; without the pending reasons unless asked.</summary>
    private static string Answers(JournaledHarness h, bool withReasons = true)
    {
        var now = h.Clock.GetUtcNow();
        var users = h.State.Tasks.All.Select(t => t.UserId).Distinct().Order(StringComparer.Ordinal);
        var tasks = users.SelectMany(u => h.State.TasksOf(u, now).Tasks).Select(t => withReasons ? t : t with { PendingReason = null, WaitsForCapacity = null }).ToList();
        // The blocked count comes from the dispatch memos, like the pending reasons: a restored state asks the engine again.
        var queues = h.State.QueuesView(new GetQueues(0, GetQueues.MaxLimit));
        return JsonSerializer.Serialize(new object[]
        {
            h.State.NodesView(), withReasons ? queues : queues with { Blocked = 0 }, h.State.StatisticsView(), h.State.HistoryView(now), tasks,
            h.State.NextPlacement()?.TaskId ?? "none",
        });
    }
}
