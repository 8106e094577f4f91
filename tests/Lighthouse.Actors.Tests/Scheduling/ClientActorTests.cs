using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>The client conversation with the scheduler actor: submissions, cancels, status, retention, statistics.</summary>
public sealed class ClientActorTests(ITestOutputHelper output) : SchedulerTestKit(output)
{
    [Fact]
    public void Over_the_queue_cap_a_submission_is_rejected_and_nothing_queued_is_touched()
    {
        var scheduler = StartScheduler(SchedulerSettings.Default with { QueueCapPerUser = 2 });
        var queued = new[] { Submit(scheduler), Submit(scheduler) };

        var rejected = Assert.IsType<SubmissionRejected>(Send(scheduler, new SubmitTask("echo", "{}", "alice")));

        Assert.Contains("already has 2 queued tasks", rejected.Reason);
        var listed = Assert.IsType<TaskList>(Send(scheduler, new ListTasks("alice"))).Tasks;
        Assert.Equal(queued, listed.Select(t => t.TaskId));
        Assert.All(listed, t => Assert.Equal(TaskState.Queued, t.State));
    }

    [Fact]
    public void A_repeated_submission_id_answers_the_original_task_id()
    {
        var scheduler = StartScheduler();
        var submission = new SubmitTask("echo", "{}", "alice", SubmissionId: "client-7");

        var first = Assert.IsType<SubmissionAccepted>(Send(scheduler, submission));
        var repeat = Assert.IsType<SubmissionAccepted>(Send(scheduler, submission));

        Assert.Equal((first.TaskId, true), (repeat.TaskId, repeat.Duplicate));
        Assert.Equal(1, Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance)).Queued);
    }

    [Fact]
    public void Malformed_json_and_oversized_payloads_are_rejected_with_the_reason()
    {
        var scheduler = StartScheduler(SchedulerSettings.Default with { MaxPayloadBytes = 16 });

        var malformed = Assert.IsType<SubmissionRejected>(Send(scheduler, new SubmitTask("echo", "{'a':1}", "alice")));
        var oversized = Assert.IsType<SubmissionRejected>(Send(scheduler, new SubmitTask("echo", "[1,2,3,4,5,6,7,8,9]", "alice")));

        Assert.StartsWith("payload is not valid JSON: '''", malformed.Reason);
        Assert.Equal("payload is 19 bytes, over the cap of 16 bytes (lighthouse.scheduler.max-payload-bytes)", oversized.Reason);
        Assert.Equal(0, Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance)).Queued);
    }

    [Fact]
    public void A_cancelled_queued_task_is_removed_at_once_and_never_started()
    {
        var scheduler = StartScheduler();
        var cancelled = Submit(scheduler);
        var kept = Submit(scheduler);

        Assert.Equal(new TaskCancelled(cancelled), Send(scheduler, new CancelTask(cancelled)));
        Assert.Equal(TaskState.Cancelled, Status(scheduler, cancelled).State);
        var worker = Worker(scheduler, "n", slots: 1);

        Assert.Equal(kept, ExpectStart(worker).TaskId);
    }

    [Fact]
    public void A_cancelled_running_task_is_cancelled_once_its_worker_acknowledges()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        var running = Submit(scheduler);
        var next = Submit(scheduler);
        ExpectStart(worker);

        Assert.Equal(new CancelPending(running, "n"), Send(scheduler, new CancelTask(running)));
        Assert.Equal(running, worker.ExpectMsg<CancelRunningTask>(Wait).TaskId);
        Assert.True(Status(scheduler, running).CancelRequested);
        worker.Reply(new AcknowledgeCancel(running));

        Assert.Equal(next, ExpectStart(worker).TaskId);
        Assert.Equal(TaskState.Cancelled, Status(scheduler, running).State);
    }

    [Fact]
    public void Cancelling_a_finished_task_answers_that_it_already_finished()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        var id = Submit(scheduler);
        ExpectStart(worker);
        worker.Reply(new ReportSuccess(id, "{\"answer\":42}"));
        AwaitListed(scheduler, "alice", id, t => t.State == TaskState.Succeeded);

        Assert.Equal(new TaskAlreadyFinished(id, TaskState.Succeeded), Send(scheduler, new CancelTask(id)));
        Assert.Equal("{\"answer\":42}", Status(scheduler, id).Result);
    }

    [Fact]
    public void An_unknown_task_id_is_answered_not_left_to_time_out()
    {
        var scheduler = StartScheduler();

        Assert.Equal(new UnknownTask("task-404", "unknown task id task-404"), Send(scheduler, new GetTaskStatus("task-404")));
        Assert.Equal(new UnknownTask("task-404"), Send(scheduler, new CancelTask("task-404")));
    }

    [Fact]
    public void A_finished_task_is_kept_for_the_ttl_or_sixty_seconds_after_it_is_collected()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 2);
        var collected = Submit(scheduler);
        var ignored = Submit(scheduler);
        ExpectStart(worker);
        ExpectStart(worker);
        worker.Send(worker.LastSender, new ReportSuccess(collected, "{}"));
        worker.Send(worker.LastSender, new ReportSuccess(ignored, "{}"));
        AwaitListed(scheduler, "alice", ignored, t => t.State == TaskState.Succeeded);
        AwaitListed(scheduler, "alice", collected, t => t.State == TaskState.Succeeded);

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TaskState.Succeeded, Status(scheduler, collected).State);
        Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(new UnknownTask(collected), Send(scheduler, new GetTaskStatus(collected)));
        Assert.Equal(TaskState.Succeeded, Listed(scheduler, "alice", ignored).State);
        Clock.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(new UnknownTask(ignored), Send(scheduler, new GetTaskStatus(ignored)));
    }

    [Fact]
    public void Statistics_time_runs_and_waits_with_the_schedulers_clock()
    {
        var scheduler = StartScheduler();
        var id = Submit(scheduler);
        Clock.Advance(TimeSpan.FromSeconds(3));
        var worker = Worker(scheduler, "n", slots: 1);
        ExpectStart(worker);
        Clock.Advance(TimeSpan.FromSeconds(5));
        worker.Reply(new ReportFailure(id, "boom"));
        AwaitListed(scheduler, "alice", id, t => t.State == TaskState.Failed);

        var echo = Assert.Single(Assert.IsType<StatisticsView>(Send(scheduler, GetStatistics.Instance)).TaskNames);

        Assert.Equal(("echo", 1, 1), (echo.TaskName, echo.Finished, echo.Failed));
        Assert.Equal(TimeSpan.FromSeconds(5), echo.RunTime!.Mean);
        Assert.Equal(TimeSpan.FromSeconds(3), echo.WaitTime!.Max);
    }
}
