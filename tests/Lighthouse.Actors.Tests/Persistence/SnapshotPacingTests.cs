using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>Snapshots are paced by the state they hold: never more often than every SnapshotEventsPerTask events per known task; and a recovery that replayed snapshot-every events or more saves one.</summary>
public sealed class SnapshotPacingTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void A_snapshot_waits_for_two_events_per_known_task_even_when_snapshot_every_is_smaller()
    {
        var scheduler = Start(Durability(snapshotEvery: 4).WithScheduler(s => s with { SnapshotEventsPerTask = 2 }));

        // Five tasks, five events: past snapshot-every (4), short of two per task (10).
        var ids = Enumerable.Range(0, 5).Select(_ => scheduler.Submit()).ToList();
        Assert.Equal(0, SnapshotRows());

        // Five cancels make ten events: now due.
        foreach (var id in ids) Assert.IsType<TaskCancelled>(scheduler.Ask(new CancelTask(id)));
        AwaitCondition(() => SnapshotRows() >= 1, Wait);
    }

    [Fact]
    public void A_recovery_that_replayed_snapshot_every_events_or_more_saves_a_snapshot_so_the_next_one_does_not_replay_them_again()
    {
        var durability = Durability(snapshotEvery: 4).WithScheduler(s => s with { SnapshotEventsPerTask = 2 });
        var first = Start(durability);
        var ids = Enumerable.Range(0, 5).Select(i => first.Submit(submissionId: $"s{i}")).ToList();
        Assert.Equal(0, SnapshotRows());
        Stop(first);

        // Five events replayed, past snapshot-every (4): a snapshot once recovered, though the pacing (ten) is not reached.
        var second = Start(durability);
        Assert.Equal(ids.Order(StringComparer.Ordinal), second.Tasks("alice").Select(t => t.TaskId).Order(StringComparer.Ordinal));
        AwaitCondition(() => SnapshotRows() >= 1, Wait);
        Stop(second);

        // The third recovers from that snapshot: the same tasks, the submission ids still de-duplicate.
        var third = Start(durability);
        Assert.Equal(ids.Order(StringComparer.Ordinal), third.Tasks("alice").Select(t => t.TaskId).Order(StringComparer.Ordinal));
        var again = Assert.IsType<SubmissionAccepted>(third.Ask(new SubmitTask("echo", "{}", "alice", SubmissionId: "s0")));
        Assert.True(again.Duplicate);
        Assert.Equal(ids[0], again.TaskId);
    }

    [Fact]
    public void A_short_replay_saves_no_snapshot()
    {
        var durability = Durability(snapshotEvery: 10).WithScheduler(s => s with { SnapshotEventsPerTask = 2 });
        var first = Start(durability);
        first.Submit();
        first.Submit();
        Stop(first);

        var second = Start(durability);
        Assert.Equal(2, second.Tasks("alice").Count);
        Assert.Equal(0, SnapshotRows());
    }

    private long SnapshotRows() => Scalar("SELECT COUNT(*) FROM snapshot");
}
