using Lighthouse.Persistence.Sql;
using Akka.Actor;
using Lighthouse.Protocol;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>A scheduler on an SQLite file, stopped and started again: what it acknowledged is what it finds.</summary>
public sealed class RecoveryTests(ITestOutputHelper output) : DurableSchedulerKit(output)
{
    [Fact]
    public void Queued_tasks_come_back_in_their_order_and_start_in_it()
    {
        var first = Start();
        var ids = new[] { first.Submit("alice"), first.Submit("alice"), first.Submit("bob"), first.Submit("alice", priority: 5) };
        Stop(first);

        var second = Start();
        Assert.Equal(ids.Where((_, i) => i != 2), second.Tasks("alice").Select(t => t.TaskId));
        Assert.All(second.Tasks("alice").Concat(second.Tasks("bob")), t => Assert.Equal(TaskState.Queued, t.State));
        var worker = second.Worker("w1", slots: 4);
        var starts = Enumerable.Range(0, 4).Select(_ => worker.ExpectMsg<StartTask>(Wait).TaskId).ToList();
        // Priority 5 first; then users take turns (alice had waited longer), then alice's remaining task.
        Assert.Equal([ids[3], ids[2], ids[0], ids[1]], starts);
    }

    [Fact]
    public void Finished_results_statistics_and_history_survive_and_retention_still_runs_out()
    {
        var first = Start();
        var worker = first.Worker("w1", slots: 2);
        var succeeded = first.Submit(payload: "{\"n\":1}");
        var failed = first.Submit();
        Assert.Equal(succeeded, worker.ExpectMsg<StartTask>(Wait).TaskId);
        Assert.Equal(failed, worker.ExpectMsg<StartTask>(Wait).TaskId);
        Clock.Advance(TimeSpan.FromSeconds(3));
        worker.Reply(new ReportSuccess(succeeded, "{\"answer\":42}"));
        worker.Reply(new ReportFailure(failed, "boom"));
        first.AwaitListed("alice", failed, t => t.State == TaskState.Failed);
        Clock.Advance(TimeSpan.FromSeconds(1));
        // Reading the success collects it: it is now kept 60 s, the failure the full 10 minutes.
        Assert.Equal("{\"answer\":42}", Assert.IsType<TaskInfo>(first.Ask(new GetTaskStatus(succeeded))).Result);
        var queued = first.Submit("bob");
        var before = Views(first);
        Stop(first);

        var second = Start();
        Assert.Equal(before, Views(second));
        var result = Assert.IsType<TaskInfo>(second.Ask(new GetTaskStatus(succeeded)));
        Assert.Equal((TaskState.Succeeded, "{\"answer\":42}"), (result.State, result.Result));
        Assert.Equal((TaskState.Failed, "boom"), (second.Listed("alice", failed).State, second.Listed("alice", failed).Error));

        Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.IsType<UnknownTask>(second.Ask(new GetTaskStatus(succeeded)));
        Assert.Equal(TaskState.Failed, Assert.IsType<TaskInfo>(second.Ask(new GetTaskStatus(failed))).State);
        // Started on w1 before the stop; w1 has not registered again, and the grace period has not passed.
        Assert.Equal((TaskState.Running, "w1"), (second.Listed("bob", queued).State, second.Listed("bob", queued).Node));
    }

    [Fact]
    public void A_repeated_submission_id_is_still_recognised_after_recovery()
    {
        var first = Start();
        var original = first.Submit(submissionId: "order-17");
        Stop(first);

        var second = Start();
        var again = Assert.IsType<SubmissionAccepted>(second.Ask(new SubmitTask("echo", "{}", "alice", SubmissionId: "order-17")));

        Assert.Equal(new SubmissionAccepted(original, "order-17", Duplicate: true), again);
        Assert.Single(second.Tasks("alice"));
        // The next new task does not reuse an id either.
        Assert.NotEqual(original, second.Submit(submissionId: "order-18"));
    }

    [Fact]
    public void Recovery_from_a_snapshot_and_the_journal_after_it_gives_the_same_state_and_the_same_dispatch_order()
    {
        var reference = Run(restart: false);
        var restarted = Run(restart: true);

        Assert.Equal(reference.Before, restarted.Before);
        Assert.Equal(reference.Before, restarted.After);
        Assert.Equal(reference.Starts, restarted.Starts);
        Assert.Equal(9, restarted.Starts.Distinct().Count());
    }

    /// <summary>
    /// Nine tasks of two users and two priorities through a two-slot worker, one finished at a time. With
    /// <paramref name="restart"/>, the scheduler (snapshots every 4 events) is stopped after the third start and
    /// a new one recovers, the worker registering again with the two tasks it runs; without, the same runs in memory.
    /// </summary>
    private (StateViews Before, StateViews? After, List<string> Starts) Run(bool restart)
    {
        var durability = restart ? Durability(snapshotEvery: 4) : SqlDurabilitySettings.InMemory;
        var generation = Start(durability);
        var worker = generation.Worker("w1", slots: 2);
        for (var i = 0; i < 9; i++) generation.Submit(i % 3 == 0 ? "bob" : "alice", priority: i % 2);
        var starts = new List<string> { worker.ExpectMsg<StartTask>(Wait).TaskId, worker.ExpectMsg<StartTask>(Wait).TaskId };
        worker.Reply(new ReportSuccess(starts[0], "{}"));
        starts.Add(worker.ExpectMsg<StartTask>(Wait).TaskId);
        var contact = worker.LastSender;
        var before = Views(generation);
        StateViews? after = null;

        if (restart)
        {
            // Snapshots were taken, and journal events before the older of the last two were deleted.
            AwaitCondition(() => Scalar("SELECT COUNT(*) FROM snapshot") >= 1 && Scalar("SELECT MIN(sequence_number) FROM journal") > 1, Wait);
            Stop(generation);
            generation = Start(durability);
            after = Views(generation);
            Assert.All(Assert.IsType<NodesView>(generation.Ask(GetNodes.Instance)).Nodes, n => Assert.Equal(WorkerNodeState.Unreachable, n.State));
            worker = generation.Worker("w1", slots: 2, starts[1], starts[2]);
            contact = worker.LastSender;
            worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }

        // Finish the running tasks one at a time, oldest start first, recording each new start.
        for (var finished = 1; finished < starts.Count; finished++)
        {
            worker.Send(contact, new ReportSuccess(starts[finished], "{}"));
            if (starts.Count < 9) starts.Add(worker.ExpectMsg<StartTask>(Wait).TaskId);
        }
        return (before, after, starts);
    }

    [Fact]
    public void A_submission_whose_event_cannot_be_written_is_never_acknowledged_and_is_not_there_after_restart()
    {
        // Writes give up after 1 s of a locked database (SQLite's busy timeout), instead of the default 30 s.
        var durability = Durability() with { ConnectionString = $"Data Source={DatabaseFile};Default Timeout=1" };
        var first = Start(durability);
        var kept = first.Submit(submissionId: "kept");
        Watch(first.Scheduler);

        using (var locker = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False"))
        {
            locker.Open();
            using (var exclusive = locker.CreateCommand())
            {
                exclusive.CommandText = "BEGIN EXCLUSIVE";
                exclusive.ExecuteNonQuery();
            }
            first.Client.Send(first.Scheduler, new SubmitTask("echo", "{}", "alice", SubmissionId: "lost"));
            // The failed write stops the scheduler; the client heard nothing.
            ExpectTerminated(first.Scheduler, Wait);
            first.Client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
        Stop(first);

        var second = Start(durability);
        Assert.Equal([kept], second.Tasks("alice").Select(t => t.TaskId));
        var retried = Assert.IsType<SubmissionAccepted>(second.Ask(new SubmitTask("echo", "{}", "alice", SubmissionId: "lost")));
        Assert.False(retried.Duplicate);
    }

    [Fact]
    public void A_returning_worker_keeps_what_it_reports_gets_the_rest_requeued_and_cancels_what_is_not_its_own()
    {
        var first = Start();
        var w1 = first.Worker("w1", slots: 3);
        var w2 = first.Worker("w2", slots: 1);
        var ids = Enumerable.Range(0, 6).Select(_ => first.Submit()).ToList();
        Assert.Equal(ids.Take(3), Enumerable.Range(0, 3).Select(_ => w1.ExpectMsg<StartTask>(Wait).TaskId));
        Assert.Equal(ids[3], w2.ExpectMsg<StartTask>(Wait).TaskId);
        w1.Reply(new ReportSuccess(ids[2], "{}"));
        Assert.Equal(ids[4], w1.ExpectMsg<StartTask>(Wait).TaskId);
        first.AwaitListed("alice", ids[2], t => t.State == TaskState.Succeeded);
        Stop(first);

        var second = Start(Durability(grace: TimeSpan.FromSeconds(2)));
        // Both nodes are known but away: nothing starts, the running tasks are still running.
        Assert.All(Assert.IsType<NodesView>(second.Ask(GetNodes.Instance)).Nodes, n => Assert.Equal(WorkerNodeState.Unreachable, n.State));
        Assert.Equal(TaskState.Running, second.Listed("alice", ids[1]).State);
        Assert.Equal("no worker node is reachable (2 registered, all unreachable)", second.Listed("alice", ids[5]).PendingReason);

        var back = second.Worker("w1", slots: 3, ids[0], ids[2], "task-999");
        // Not its own any more (finished, unknown): cancel. ids[1] and ids[4], not reported, go back to the head of
        // the queue and start again (attempt 2) ahead of ids[5], never started.
        Assert.Equal(ids[2], back.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        Assert.Equal("task-999", back.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        var restarts = new[] { back.ExpectMsg<StartTask>(Wait), back.ExpectMsg<StartTask>(Wait) };
        Assert.Equal([(ids[1], 2), (ids[4], 2)], restarts.Select(r => (r.TaskId, r.Attempt)));
        var kept = second.Listed("alice", ids[0]);
        Assert.Equal((TaskState.Running, "w1", 1), (kept.State, kept.Node, kept.Attempts));
        Assert.Equal(TaskState.Queued, second.Listed("alice", ids[5]).State);

        // w2 never comes back: after the grace its task is re-queued (ahead of ids[5]), and starts on w1 when a slot frees.
        second.AwaitListed("alice", ids[3], t => t.State == TaskState.Queued);
        Assert.DoesNotContain(Assert.IsType<NodesView>(second.Ask(GetNodes.Instance)).Nodes, n => n.Node == "w2");
        back.Reply(new ReportSuccess(ids[0], "{}"));
        var moved = back.ExpectMsg<StartTask>(Wait);
        Assert.Equal((ids[3], 2), (moved.TaskId, moved.Attempt));
    }

    [Fact]
    public void A_worker_back_after_a_fail_over_ends_its_tasks_with_the_reports_it_sends_again_and_those_already_taken_are_acknowledged_quietly()
    {
        var first = Start();
        var w1 = first.Worker("w1", passAcknowledgements: true, slots: 2);
        var taken = first.Submit();
        var unheard = first.Submit();
        Assert.Equal([taken, unheard], new[] { w1.ExpectMsg<StartTask>(Wait).TaskId, w1.ExpectMsg<StartTask>(Wait).TaskId });
        w1.Reply(new ReportSuccess(taken, "1"));
        // Acknowledged only once written: the next scheduler has it.
        Assert.Equal([taken], w1.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);
        Stop(first);

        // The worker finished the other task while no scheduler was there; say the acknowledgement of the first was lost
        // too. It names both, and after registering sends both reports again.
        var second = Start();
        var back = second.Worker("w1", passAcknowledgements: true, slots: 2, taken, unheard);
        var contact = back.LastSender;
        // Ended here already: the scheduler has the worker cancel it, which the worker answers with its report.
        Assert.Equal(taken, back.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        back.Send(contact, new ReportSuccess(taken, "1"));
        back.Send(contact, new ReportSuccess(unheard, "2"));

        var acknowledged = new HashSet<string>();
        while (acknowledged.Count < 2) acknowledged.UnionWith(back.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);
        Assert.Equal([taken, unheard], acknowledged.Order(StringComparer.Ordinal));
        var ended = second.Listed("alice", unheard);
        Assert.Equal((TaskState.Succeeded, "2", 1), (ended.State, ended.Result, ended.Attempts));
        Assert.Equal((TaskState.Succeeded, "1"), (second.Listed("alice", taken).State, second.Listed("alice", taken).Result));
        // Neither was refused; a different end of a task that ended is.
        back.Send(contact, new ReportFailure(taken, "boom"));
        Assert.Contains("is not running on node", back.ExpectMsg<ReportRejected>(Wait).Reason);
    }

    [Fact]
    public void A_worker_back_after_the_grace_has_its_requeued_task_adopted_rather_than_started_again()
    {
        var first = Start();
        var w1 = first.Worker("w1", slots: 1);
        var id = first.Submit();
        Assert.Equal(id, w1.ExpectMsg<StartTask>(Wait).TaskId);
        Stop(first);

        var second = Start(Durability(grace: TimeSpan.FromMilliseconds(300)));
        second.AwaitListed("alice", id, t => t.State == TaskState.Queued);
        var back = second.Worker("w1", slots: 1, id);
        var contact = back.LastSender;

        var adopted = second.Listed("alice", id);
        Assert.Equal((TaskState.Running, "w1", 2), (adopted.State, adopted.Node, adopted.Attempts));
        // Adopted, not started again.
        back.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        back.Send(contact, new ReportSuccess(id, "{\"done\":true}"));
        second.AwaitListed("alice", id, t => t.State == TaskState.Succeeded);
    }

    [Fact]
    public void A_cancel_asked_while_the_node_is_away_reaches_it_when_it_returns()
    {
        var first = Start();
        var w1 = first.Worker("w1", slots: 1);
        var id = first.Submit();
        Assert.Equal(id, w1.ExpectMsg<StartTask>(Wait).TaskId);
        Stop(first);

        var second = Start();
        Assert.Equal(new CancelPending(id, "w1"), second.Ask(new CancelTask(id)));
        var back = second.Worker("w1", slots: 1, id);
        Assert.Equal(id, back.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        back.Reply(new AcknowledgeCancel(id));
        second.AwaitListed("alice", id, t => t.State == TaskState.Cancelled);
    }
}
