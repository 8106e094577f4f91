using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// The scheduler's wire economy: batches in and out (<see cref="MessageBatch"/>), and pushed task changes to
/// watchers (<see cref="WatchTask"/>, watched submissions) instead of polling.
/// </summary>
public sealed class WatchAndBatchTests(ITestOutputHelper output) : SchedulerTestKit(output)
{
    [Fact]
    public void A_batch_of_requests_is_answered_by_one_batch_in_the_same_order()
    {
        var scheduler = StartScheduler();
        scheduler.Tell(new MessageBatch([
            new SubmitTask("echo", "{}", "alice", SubmissionId: "a"),
            new SubmitTask("echo", "{'bad'}", "bob", SubmissionId: "b"),
            new GetTaskStatus("no-such-task"),
            new SubmitTask("echo", "{}", "carol", SubmissionId: "c"),
        ]), TestActor);

        var answers = ExpectMsg<MessageBatch>(Wait).Messages;

        Assert.Equal(4, answers.Count);
        Assert.Equal("a", Assert.IsType<SubmissionAccepted>(answers[0]).SubmissionId);
        Assert.Equal(("b", RejectionCode.InvalidSubmission), (Assert.IsType<SubmissionRejected>(answers[1]).SubmissionId, ((SubmissionRejected)answers[1]).Code));
        Assert.Equal("no-such-task", Assert.IsType<UnknownTask>(answers[2]).TaskId);
        Assert.Equal("c", Assert.IsType<SubmissionAccepted>(answers[3]).SubmissionId);
        Assert.Equal(2, Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance)).Queued);
    }

    [Fact]
    public void Lone_requests_get_lone_answers_even_when_they_arrive_together()
    {
        var scheduler = StartScheduler();
        // Two separate senders' lone requests, delivered back to back: neither may get a batch (an Ask could not read it).
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        scheduler.Tell(new SubmitTask("echo", "{}", "alice"), first.Ref);
        scheduler.Tell(new SubmitTask("echo", "{}", "alice"), first.Ref);
        scheduler.Tell(new SubmitTask("echo", "{}", "bob"), second.Ref);

        first.ExpectMsg<SubmissionAccepted>(Wait);
        first.ExpectMsg<SubmissionAccepted>(Wait);
        second.ExpectMsg<SubmissionAccepted>(Wait);
    }

    [Fact]
    public void A_watched_submission_is_told_its_end_and_the_push_collects_the_task()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        scheduler.Tell(new SubmitTask("echo", "{\"n\":1}", "alice", Watch: true), TestActor);
        var taskId = ExpectMsg<SubmissionAccepted>(Wait).TaskId;

        var start = worker.ExpectMsg<StartTask>(Wait);
        worker.Reply(new ReportSuccess(start.TaskId, "{\"ok\":true}"));

        var end = ExpectMsg<TaskUpdated>(Wait).Task;
        Assert.Equal((taskId, TaskState.Succeeded, "{\"ok\":true}"), (end.TaskId, end.State, end.Result));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Collected: gone after the collected retention (60 s), long before the uncollected one (10 min).
        Clock.Advance(SchedulerSettings.Default.CollectedRetention + TimeSpan.FromSeconds(1));
        Assert.IsType<UnknownTask>(Send(scheduler, new GetTaskStatus(taskId, Collect: false)));
    }

    [Fact]
    public void A_progress_watcher_hears_the_start_each_progress_and_the_end()
    {
        var scheduler = StartScheduler();
        var taskId = Submit(scheduler);
        scheduler.Tell(new WatchTask(taskId, Progress: true), TestActor);
        Assert.Equal(TaskState.Queued, ExpectMsg<TaskInfo>(Wait).State);

        var worker = Worker(scheduler, "n", slots: 1);
        var start = worker.ExpectMsg<StartTask>(Wait);
        Assert.Equal(TaskState.Running, ExpectMsg<TaskUpdated>(Wait).Task.State);
        worker.Reply(new ReportProgress(start.TaskId, 40));
        Assert.Equal(40, ExpectMsg<TaskUpdated>(Wait).Task.Progress);
        worker.Reply(new ReportFailure(start.TaskId, "broken"));

        var end = ExpectMsg<TaskUpdated>(Wait).Task;
        Assert.Equal((TaskState.Failed, "broken"), (end.State, end.Error));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_end_only_watcher_hears_nothing_until_the_end_and_watching_twice_tells_once()
    {
        var scheduler = StartScheduler();
        var taskId = Submit(scheduler);
        scheduler.Tell(new WatchTask(taskId), TestActor);
        ExpectMsg<TaskInfo>(Wait);
        scheduler.Tell(new WatchTask(taskId), TestActor);
        ExpectMsg<TaskInfo>(Wait);

        var worker = Worker(scheduler, "n", slots: 1);
        var start = worker.ExpectMsg<StartTask>(Wait);
        worker.Reply(new ReportProgress(start.TaskId, 40));
        worker.Reply(new ReportSuccess(start.TaskId, "1"));

        Assert.Equal(TaskState.Succeeded, ExpectMsg<TaskUpdated>(Wait).Task.State);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watching_an_unknown_or_finished_task_answers_at_once_and_pushes_nothing()
    {
        var scheduler = StartScheduler();
        scheduler.Tell(new WatchTask("nope"), TestActor);
        Assert.Equal("nope", ExpectMsg<UnknownTask>(Wait).TaskId);

        var taskId = Submit(scheduler);
        Assert.IsType<TaskCancelled>(Send(scheduler, new CancelTask(taskId)));
        scheduler.Tell(new WatchTask(taskId), TestActor);
        Assert.Equal(TaskState.Cancelled, ExpectMsg<TaskInfo>(Wait).State);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_repeated_watched_submission_of_a_finished_task_is_told_its_end_at_once()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        var submission = new SubmitTask("echo", "{}", "alice", SubmissionId: "s-1", Watch: true);
        scheduler.Tell(submission, TestActor);
        var taskId = ExpectMsg<SubmissionAccepted>(Wait).TaskId;
        worker.Reply(new ReportSuccess(worker.ExpectMsg<StartTask>(Wait).TaskId, "7"));
        ExpectMsg<TaskUpdated>(Wait);

        // The client did not see the answer and sends the same submission again.
        scheduler.Tell(submission, TestActor);

        Assert.Equal((taskId, true), (ExpectMsg<SubmissionAccepted>(Wait).TaskId, true));
        Assert.Equal("7", ExpectMsg<TaskUpdated>(Wait).Task.Result);
    }
}
