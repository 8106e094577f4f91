using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The journal warm-up every scheduler host runs at start (so a standby taking the scheduler over does not open the
/// journal inside the fail-over): it recovers an id nobody writes, stops, and leaves the journal as it was.
/// </summary>
public sealed class JournalWarmupTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void The_warmup_recovers_nothing_stops_and_writes_nothing_beside_a_scheduler_that_keeps_its_state()
    {
        var durability = Durability();
        var first = Start(durability);
        var taskId = first.Submit(submissionId: "s1");
        Stop(first);
        var rows = Scalar("SELECT COUNT(*) FROM journal");

        var system = NewSystem(durability);
        var warmup = system.ActorOf(JournalWarmup.Props(durability.Scheduler));
        var watcher = CreateTestProbe(system);
        watcher.Watch(warmup);
        watcher.ExpectTerminated(warmup, Wait);

        Assert.Equal(rows, Scalar("SELECT COUNT(*) FROM journal"));
        Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = '{JournalWarmup.WarmupPersistenceId}'"));
        Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM snapshot WHERE persistence_id = '{JournalWarmup.WarmupPersistenceId}'"));
        // The scheduler recovers on the warmed system as on any other: the submission id still maps to its task.
        var second = system.ActorOf(Lighthouse.Scheduling.SchedulerActor.Props(Lighthouse.Scheduling.SchedulerSettings.Default, durability.Scheduler, Clock));
        var again = CreateTestProbe(system);
        second.Tell(new SubmitTask("echo", "{}", "alice", SubmissionId: "s1"), again);
        var answer = again.ExpectMsg<SubmissionAccepted>(Wait);
        Assert.True(answer.Duplicate);
        Assert.Equal(taskId, answer.TaskId);
    }
}
