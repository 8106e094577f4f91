using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// A graceful hand-over (the singleton manager's <see cref="HandOverScheduler"/>): with a long journal tail the leaving
/// scheduler saves a snapshot before it stops, so its successor loads it instead of replaying; with a short one it stops at once.
/// </summary>
public sealed class HandOverSnapshotTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void A_long_tail_is_snapshotted_before_the_scheduler_stops_and_the_successor_starts_from_it()
    {
        var durability = Durability();
        var first = Start(durability);
        var count = SchedulerActor.HandOverSnapshotFrom;
        for (var i = 0; i < count; i++) first.Client.Send(first.Scheduler, new SubmitTask("echo", "{}", "alice", SubmissionId: $"s{i}"));
        var ids = first.Client.ReceiveN(count, Wait).Select(reply => Assert.IsType<SubmissionAccepted>(reply).TaskId).ToList();
        Assert.Equal(0, SnapshotRows());

        HandOver(first);

        Assert.Equal(1, SnapshotRows());
        Stop(first);
        var second = Start(durability);
        Assert.Equal(ids.Order(StringComparer.Ordinal), second.Tasks("alice").Select(t => t.TaskId).Order(StringComparer.Ordinal));
        Assert.True(Assert.IsType<SubmissionAccepted>(second.Ask(new SubmitTask("echo", "{}", "alice", SubmissionId: "s7"))).Duplicate);
    }

    [Fact]
    public void A_short_tail_stops_at_once_without_a_snapshot()
    {
        var durability = Durability();
        var first = Start(durability);
        var id = first.Submit();

        HandOver(first);

        Assert.Equal(0, SnapshotRows());
        Stop(first);
        Assert.Equal(id, Assert.Single(Start(durability).Tasks("alice")).TaskId);
    }

    private void HandOver(Generation generation)
    {
        var watcher = CreateTestProbe(generation.System);
        watcher.Watch(generation.Scheduler);
        generation.Scheduler.Tell(HandOverScheduler.Instance);
        watcher.ExpectTerminated(generation.Scheduler, Wait);
    }

    private long SnapshotRows() => Scalar("SELECT COUNT(*) FROM snapshot");
}
