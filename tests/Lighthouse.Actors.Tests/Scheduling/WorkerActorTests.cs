using Lighthouse.Scheduling;
using Akka.Actor;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>The worker conversation with the scheduler actor: registration, reports, loss.</summary>
public sealed class WorkerActorTests(ITestOutputHelper output) : SchedulerTestKit(output)
{
    [Fact]
    public void A_stopped_agent_loses_its_node_and_its_task_goes_back_to_the_head_of_the_queue()
    {
        var scheduler = StartScheduler();
        var doomed = Worker(scheduler, "doomed", slots: 1);
        var first = Submit(scheduler);
        var second = Submit(scheduler);
        Assert.Equal((first, 1), (ExpectStart(doomed).TaskId, 1));

        Sys.Stop(doomed.Ref);
        AwaitListed(scheduler, "alice", first, t => t.State == TaskState.Queued);
        Assert.Equal(1, Listed(scheduler, "alice", first).Attempts);
        var survivor = Worker(scheduler, "survivor", slots: 1);

        var restart = ExpectStart(survivor);
        Assert.Equal((first, 2), (restart.TaskId, restart.Attempt));
        Assert.Equal(TaskState.Queued, Status(scheduler, second).State);
    }

    [Fact]
    public void A_task_whose_workers_were_lost_max_attempts_times_fails_saying_so()
    {
        var scheduler = StartScheduler();
        var id = Submit(scheduler, maxAttempts: 2);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var worker = Worker(scheduler, $"n{attempt}", slots: 1);
            Assert.Equal(attempt, ExpectStart(worker).Attempt);
            scheduler.Tell(new WorkerLost($"n{attempt}"), TestActor);
        }

        var failed = Status(scheduler, id);

        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal("the worker was lost 2 times (max attempts 2); the last one was node \"n2\"", failed.Error);
        Assert.Empty(Assert.IsType<NodesView>(Send(scheduler, GetNodes.Instance)).Nodes);
    }

    [Fact]
    public void Reports_go_to_the_nodes_contact_and_bad_ones_are_answered_with_the_reason()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        var id = Submit(scheduler);
        ExpectStart(worker);

        worker.Reply(new ReportProgress(id, 250));
        Assert.Contains("progress 250 for task " + id + " is out of range", worker.ExpectMsg<ReportRejected>(Wait).Reason);
        worker.Reply(new ReportProgress(id, 60));
        AwaitListed(scheduler, "alice", id, t => t.Progress == 60);
        worker.Reply(new ReportSuccess("task-999", "{}"));
        Assert.Equal(new ReportRejected("task-999", "task task-999 is not running on node \"n\" (it is unknown)"), worker.ExpectMsg<ReportRejected>(Wait));
        worker.Reply(new ReportSuccess(id, "<xml/>"));

        AwaitListed(scheduler, "alice", id, t => t.State == TaskState.Failed);
        Assert.StartsWith("the worker's result is not valid JSON", Listed(scheduler, "alice", id).Error);
    }

    [Fact]
    public void A_final_report_is_acknowledged_and_a_copy_of_it_sent_again_is_acknowledged_quietly_not_refused()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", passAcknowledgements: true, slots: 2);
        var succeeded = Submit(scheduler);
        var cancelled = Submit(scheduler);
        ExpectStart(worker);
        ExpectStart(worker);

        worker.Reply(new ReportProgress(succeeded, 50));
        worker.Reply(new ReportSuccess(succeeded, "{}"));
        Assert.Equal([succeeded], worker.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);
        Assert.IsType<CancelPending>(Send(scheduler, new CancelTask(cancelled)));
        Assert.Equal(cancelled, worker.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        worker.Reply(new AcknowledgeCancel(cancelled));
        Assert.Equal([cancelled], worker.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);

        // Sent again, as after a fail-over whose acknowledgement was lost (acknowledged together when the link takes them in one go).
        worker.Reply(new ReportSuccess(succeeded, "{}"));
        worker.Reply(new AcknowledgeCancel(cancelled));
        var again = new List<string>(worker.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);
        if (again.Count < 2) again.AddRange(worker.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);
        Assert.Equal([succeeded, cancelled], again);

        // An end other than the one taken is refused, as is a report of a task never here; neither is acknowledged.
        worker.Reply(new ReportSuccess(succeeded, "{\"other\":1}"));
        Assert.Equal(succeeded, worker.ExpectMsg<ReportRejected>(Wait).TaskId);
        worker.Reply(new ReportFailure("task-999", "boom"));
        Assert.Equal("task-999", worker.ExpectMsg<ReportRejected>(Wait).TaskId);
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_bad_registration_is_refused_with_the_reason()
    {
        var scheduler = StartScheduler();
        var probe = CreateTestProbe();

        scheduler.Tell(StateHarness.Registration("n", slots: 0), probe.Ref);
        scheduler.Tell(StateHarness.Registration("m", priorities: new PriorityRange(5, 1)), probe.Ref);
        scheduler.Tell(StateHarness.Registration("k", resources: ("slots", 4)), probe.Ref);

        Assert.Equal("node \"n\" offers 0 slots: a worker node needs at least 1", probe.ExpectMsg<WorkerRegistrationRejected>(Wait).Reason);
        Assert.Equal("node \"m\" has priority range [5, 1]: its minimum is above its maximum", probe.ExpectMsg<WorkerRegistrationRejected>(Wait).Reason);
        Assert.Equal("node \"k\": resource \"slots\" is reserved: the scheduler counts one slot per task itself", probe.ExpectMsg<WorkerRegistrationRejected>(Wait).Reason);
    }

    [Fact]
    public void A_node_registering_again_is_the_same_node_for_the_same_agent_and_a_new_one_otherwise()
    {
        var scheduler = StartScheduler();
        var agent = Worker(scheduler, "n", slots: 1);
        var id = Submit(scheduler);
        ExpectStart(agent);

        // The same agent with the same declaration: just answered again, the task keeps running.
        scheduler.Tell(StateHarness.Registration("n", slots: 1), AgentOf(agent));
        agent.ExpectMsg<WorkerRegistered>(Wait);
        Assert.Equal(TaskState.Running, Status(scheduler, id).State);

        // A refused re-registration costs the registered node nothing.
        var impostor = CreateTestProbe();
        scheduler.Tell(StateHarness.Registration("n", slots: -1), impostor.Ref);
        impostor.ExpectMsg<WorkerRegistrationRejected>(Wait);
        Assert.Equal(TaskState.Running, Status(scheduler, id).State);

        // A restarted agent under the same name: the old incarnation is lost, its task restarts on the new one.
        var restarted = Worker(scheduler, "n", slots: 1);
        Assert.Equal((id, 2), (ExpectStart(restarted).TaskId, Status(scheduler, id).Attempts));
        // The old agent stopping now is old news for the new incarnation.
        Sys.Stop(agent.Ref);
        restarted.Reply(new ReportSuccess(id, "{}"));
        AwaitListed(scheduler, "alice", id, t => t.State == TaskState.Succeeded);
        Assert.Equal(WorkerNodeState.Reachable, Assert.Single(Assert.IsType<NodesView>(Send(scheduler, GetNodes.Instance)).Nodes).State);
    }
}
