using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>
/// <see cref="CorrelatedRequest"/> at the scheduler: handled as the request inside it, answered with a
/// <see cref="CorrelatedAnswer"/> of the same id; pushes stay plain, and plain requests are answered as before.
/// </summary>
public sealed class CorrelationTests(ITestOutputHelper output) : SchedulerTestKit(output)
{
    private CorrelatedAnswer AnswerTo(long id)
    {
        var answer = ExpectMsg<CorrelatedAnswer>(Wait);
        Assert.Equal(id, answer.CorrelationId);
        return answer;
    }

    [Fact]
    public void Every_kind_of_client_request_is_answered_under_its_id_with_what_the_plain_request_gets()
    {
        var scheduler = StartScheduler();
        scheduler.Tell(new CorrelatedRequest(1, new SubmitTask("echo", "{}", "alice", SubmissionId: "s")), TestActor);
        var taskId = Assert.IsType<SubmissionAccepted>(AnswerTo(1).Answer).TaskId;

        scheduler.Tell(new CorrelatedRequest(2, new GetTaskStatus(taskId, Collect: false)), TestActor);
        Assert.Equal(taskId, Assert.IsType<TaskInfo>(AnswerTo(2).Answer).TaskId);
        scheduler.Tell(new CorrelatedRequest(3, new ListTasks("alice")), TestActor);
        Assert.Equal([taskId], Assert.IsType<TaskList>(AnswerTo(3).Answer).Tasks.Select(t => t.TaskId));
        scheduler.Tell(new CorrelatedRequest(4, GetQueues.Instance), TestActor);
        Assert.Equal(1, Assert.IsType<QueuesView>(AnswerTo(4).Answer).Queued);
        scheduler.Tell(new CorrelatedRequest(5, GetNodes.Instance), TestActor);
        Assert.IsType<NodesView>(AnswerTo(5).Answer);
        scheduler.Tell(new CorrelatedRequest(6, GetStatistics.Instance), TestActor);
        Assert.IsType<StatisticsView>(AnswerTo(6).Answer);
        scheduler.Tell(new CorrelatedRequest(7, GetHistory.Instance), TestActor);
        Assert.IsType<HistoryView>(AnswerTo(7).Answer);
        scheduler.Tell(new CorrelatedRequest(-8, new CancelTask(taskId)), TestActor);
        Assert.Equal(taskId, Assert.IsType<TaskCancelled>(AnswerTo(-8).Answer).TaskId);
        scheduler.Tell(new CorrelatedRequest(9, new CancelTask("nope")), TestActor);
        Assert.Equal("nope", Assert.IsType<UnknownTask>(AnswerTo(9).Answer).TaskId);

        // The plain request, from the same sender, is answered plain as before.
        Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance));
    }

    [Fact]
    public void A_batch_of_correlated_requests_is_answered_by_one_batch_of_answers_in_order_each_under_its_id()
    {
        var scheduler = StartScheduler();
        scheduler.Tell(new MessageBatch([
            new CorrelatedRequest(10, new SubmitTask("echo", "{}", "alice", SubmissionId: "a")),
            new CorrelatedRequest(11, new SubmitTask("echo", "{'bad'}", "bob", SubmissionId: "b")),
            // Two requests of one kind: only the ids tell their answers apart.
            new CorrelatedRequest(12, GetQueues.Instance),
            new CorrelatedRequest(13, GetQueues.Instance),
        ]), TestActor);

        var answers = ExpectMsg<MessageBatch>(Wait).Messages.Cast<CorrelatedAnswer>().ToList();

        Assert.Equal([10L, 11, 12, 13], answers.Select(a => a.CorrelationId));
        Assert.IsType<SubmissionAccepted>(answers[0].Answer);
        Assert.IsType<SubmissionRejected>(answers[1].Answer);
        Assert.Equal(1, Assert.IsType<QueuesView>(answers[2].Answer).Queued);
        Assert.Equal(1, Assert.IsType<QueuesView>(answers[3].Answer).Queued);
    }

    [Fact]
    public void A_watched_submission_is_answered_under_its_id_and_its_end_is_pushed_plain()
    {
        var scheduler = StartScheduler();
        var worker = Worker(scheduler, "n", slots: 1);
        scheduler.Tell(new CorrelatedRequest(42, new SubmitTask("echo", "{}", "alice", Watch: true)), TestActor);
        var taskId = Assert.IsType<SubmissionAccepted>(AnswerTo(42).Answer).TaskId;

        worker.Reply(new ReportSuccess(worker.ExpectMsg<StartTask>(Wait).TaskId, "1"));

        var end = ExpectMsg<TaskUpdated>(Wait).Task;
        Assert.Equal((taskId, TaskState.Succeeded), (end.TaskId, end.State));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_correlated_watch_is_answered_under_its_id_and_its_progress_is_pushed_plain()
    {
        var scheduler = StartScheduler();
        var taskId = Submit(scheduler);
        scheduler.Tell(new CorrelatedRequest(7, new WatchTask(taskId, Progress: true)), TestActor);
        Assert.Equal(TaskState.Queued, Assert.IsType<TaskInfo>(AnswerTo(7).Answer).State);

        var worker = Worker(scheduler, "n", slots: 1);
        worker.ExpectMsg<StartTask>(Wait);

        Assert.Equal(TaskState.Running, ExpectMsg<TaskUpdated>(Wait).Task.State);
    }

    [Fact]
    public void A_resent_correlated_submission_is_answered_twice_under_the_same_id_and_queued_once()
    {
        var scheduler = StartScheduler();
        var request = new CorrelatedRequest(5, new SubmitTask("echo", "{}", "alice", SubmissionId: "once"));
        scheduler.Tell(request, TestActor);
        scheduler.Tell(request, TestActor);

        var first = Assert.IsType<SubmissionAccepted>(AnswerTo(5).Answer);
        var second = Assert.IsType<SubmissionAccepted>(AnswerTo(5).Answer);

        Assert.Equal((first.TaskId, false, true), (second.TaskId, first.Duplicate, second.Duplicate));
        Assert.Equal(1, Assert.IsType<QueuesView>(Send(scheduler, GetQueues.Instance)).Queued);
    }

    [Fact]
    public void A_wrapped_message_that_is_no_client_request_is_not_handled_and_gets_no_answer()
    {
        var scheduler = StartScheduler();
        var worker = CreateTestProbe();

        scheduler.Tell(new CorrelatedRequest(1, StateHarness.Registration("n", 1, null, null)), worker.Ref);

        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Empty(Assert.IsType<NodesView>(Send(scheduler, GetNodes.Instance)).Nodes);
    }
}
