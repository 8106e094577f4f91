using Lighthouse.Persistence.Sql;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>Snapshots are paced by the state they hold: never more often than every SnapshotEventsPerTask events per known task.</summary>
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

    private long SnapshotRows() => Scalar("SELECT COUNT(*) FROM snapshot");
}
