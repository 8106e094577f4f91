using Lighthouse.Actors.Tests.Scheduling;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The decisions about a node that registers again naming the tasks it runs, on the state alone: what it reports and
/// the scheduler has running there stays; what it does not report is re-queued; what is queued is adopted; the rest
/// it must cancel.
/// </summary>
public sealed class ReattachmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A state recovered after node n1 (3 slots) started t1..t3 and t1 succeeded, t4 still queued: n1 is away (unreachable).</summary>
    private static (JournaledHarness Harness, string[] Ids) Recovered()
    {
        var live = new JournaledHarness(SchedulerSettings.Default, new ManualTimeProvider(Now));
        live.Register("n1", 3, ["echo"]);
        var ids = Enumerable.Range(0, 5).Select(_ => live.Submit("alice")).ToArray();
        live.Dispatch();
        Assert.Null(live.Report(new ReportSuccess(ids[0], "{}")));
        live.Dispatch();
        // ids[1], ids[2], ids[3] run on n1; ids[4] waits.
        var recovered = new JournaledHarness(SchedulerSettings.Default, live.Clock, SchedulerState.Restore(SchedulerSettings.Default, live.State.Capture()));
        recovered.SetReachable("n1", false);
        return (recovered, ids);
    }

    [Fact]
    public void A_returning_node_keeps_the_tasks_it_reports_and_the_others_go_back_to_the_head_of_the_queue()
    {
        var (h, ids) = Recovered();

        var events = h.State.DecideReturn("n1", new HashSet<string> { ids[1], ids[3] }, Now);

        Assert.Equal([typeof(TaskRequeued), typeof(NodeReachabilityChanged)], events.Select(e => e.GetType()));
        Assert.Equal(ids[2], ((TaskRequeued)events[0]).TaskId);
        h.Apply(events);
        Assert.Equal(TaskState.Running, h.State.Status(ids[1], Now)!.State);
        Assert.Equal(TaskState.Running, h.State.Status(ids[3], Now)!.State);
        // The re-queued task goes first, on its second attempt.
        h.Dispatch();
        Assert.Equal((ids[2], "n1", 2), h.Starts[^1]);
    }

    [Fact]
    public void A_returning_node_that_reports_nothing_has_all_its_tasks_requeued_or_failed_after_their_last_attempt()
    {
        var (h, ids) = Recovered();
        var events = h.State.DecideReturn("n1", new HashSet<string>(), Now);
        Assert.Equal([ids[1], ids[2], ids[3]], events.OfType<TaskRequeued>().Select(e => e.TaskId));
    }

    [Fact]
    public void Reported_tasks_are_kept_adopted_or_to_be_cancelled_by_what_the_scheduler_knows_of_them()
    {
        var (h, ids) = Recovered();
        h.Apply(h.State.DecideReturn("n1", new HashSet<string> { ids[1] }, Now));
        // ids[2] and ids[3] were re-queued; the node still runs ids[2], finished ids[0] long ago, and names one it never had.
        var reported = new[] { ids[1], ids[2], ids[0], "task-999", ids[1] };

        var outcome = h.State.DecideReported("n1", reported, Now);

        var adopted = Assert.IsType<TaskAdopted>(Assert.Single(outcome.Events));
        Assert.Equal((ids[2], "n1", 2), (adopted.TaskId, adopted.Node, adopted.Attempt));
        Assert.Equal([ids[0], "task-999"], outcome.Cancel);
        h.Apply(outcome.Events);
        Assert.Equal(("n1", TaskState.Running), (h.State.Status(ids[2], Now)!.Node, h.State.Status(ids[2], Now)!.State));
    }

    [Fact]
    public void A_queued_task_is_adopted_only_while_the_node_has_free_slots()
    {
        var (h, ids) = Recovered();
        h.Apply(h.State.DecideReturn("n1", new HashSet<string>(), Now));
        // All three re-queued; the node has 3 slots and reports those three plus the never-started ids[4].
        var outcome = h.State.DecideReported("n1", [ids[1], ids[2], ids[3], ids[4]], Now);

        Assert.Equal([ids[1], ids[2], ids[3]], outcome.Events.OfType<TaskAdopted>().Select(e => e.TaskId));
        Assert.Equal([ids[4]], outcome.Cancel);
    }
}
