using Lighthouse.Protocol;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>Cancel, worker reports, reachability and worker loss at the state level.</summary>
public sealed class TaskLifecycleTests
{
    [Fact]
    public void Cancelling_a_queued_task_removes_it_at_once()
    {
        var h = new StateHarness();
        var id = h.Submit();

        Assert.Equal(new TaskCancelled(id), h.Do(h.State.DecideCancel(id, h.Now)));

        Assert.Equal(TaskState.Cancelled, h.Status(id).State);
        Assert.Equal(0, h.State.Queues.Queued);
        h.Register("n", slots: 1);
        Assert.Equal(0, h.Dispatch());
    }

    [Fact]
    public void Cancelling_a_running_task_asks_its_worker_and_ends_on_acknowledgement()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var running = h.Submit();
        var next = h.Submit();
        h.Dispatch();

        Assert.Equal(new CancelPending(running, "n"), h.Do(h.State.DecideCancel(running, h.Now)));
        Assert.Equal([running], h.CancelsSent);
        Assert.Equal(TaskState.Running, h.Status(running).State);
        Assert.True(h.Status(running).CancelRequested);
        // Asking again sends nothing new.
        Assert.Equal(new CancelPending(running, "n"), h.Do(h.State.DecideCancel(running, h.Now)));
        Assert.Single(h.CancelsSent);

        Assert.Null(h.Report(new AcknowledgeCancel(running)));
        h.Dispatch();

        Assert.Equal(TaskState.Cancelled, h.Status(running).State);
        Assert.Equal("cancelled on request", h.Status(running).Error);
        Assert.Equal(TaskState.Running, h.Status(next).State);
    }

    [Fact]
    public void A_succeeded_task_shows_all_of_its_progress_and_a_failed_one_keeps_what_was_reported()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2);
        var done = h.Submit();
        var failed = h.Submit();
        h.Dispatch();
        Assert.Null(h.Report(new ReportProgress(done, 40)));
        Assert.Null(h.Report(new ReportProgress(failed, 40)));

        h.Succeed(done);
        h.Report(new ReportFailure(failed, "boom"));

        Assert.Equal(100, h.Status(done).Progress);
        Assert.Equal(40, h.Status(failed).Progress);
    }

    [Fact]
    public void A_running_task_asked_to_cancel_that_ends_anyway_is_cancelled()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();
        h.Do(h.State.DecideCancel(id, h.Now));

        h.Succeed(id);

        Assert.Equal(TaskState.Cancelled, h.Status(id).State);
        Assert.Equal("cancelled on request; the worker had already finished it (succeeded)", h.Status(id).Error);
    }

    [Fact]
    public void Cancelling_a_finished_task_answers_that_it_already_finished()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();
        h.Succeed(id, "{\"ok\":true}");

        Assert.Equal(new TaskAlreadyFinished(id, TaskState.Succeeded), h.Do(h.State.DecideCancel(id, h.Now)));
        Assert.Equal("{\"ok\":true}", h.Status(id).Result);
        Assert.Equal(new UnknownTask("task-99"), h.Do(h.State.DecideCancel("task-99", h.Now)));
        Assert.Equal("unknown task id task-99", new UnknownTask("task-99").Message);
    }

    [Fact]
    public void A_result_that_is_not_json_fails_the_task_saying_so()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();

        h.Succeed(id, "not json");

        Assert.Equal(TaskState.Failed, h.Status(id).State);
        Assert.StartsWith("the worker's result is not valid JSON: ", h.Status(id).Error);
        Assert.Null(h.Status(id).Result);
    }

    [Fact]
    public void A_worker_failure_fails_the_task_with_its_error()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();

        Assert.Null(h.Report(new ReportFailure(id, "disk full")));

        Assert.Equal((TaskState.Failed, "disk full"), (h.Status(id).State, h.Status(id).Error));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Progress_out_of_range_is_rejected_and_keeps_the_last_value(double percent)
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();
        h.Report(new ReportProgress(id, 40));

        var reply = Assert.IsType<ReportRejected>(h.Report(new ReportProgress(id, percent)));

        Assert.Contains("is out of range: it must be between 0 and 100", reply.Reason);
        Assert.Equal(40, h.Status(id).Progress);
    }

    [Fact]
    public void A_report_from_a_node_the_task_does_not_run_on_is_rejected()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        h.Register("m", slots: 1, tasks: ["other"]);
        var id = h.Submit();
        h.Dispatch();

        var reply = h.Do(h.State.DecideReport("m", new ReportSuccess(id, "{}"), h.Now));

        Assert.Equal(new ReportRejected(id, $"task {id} is not running on node \"m\" (it is running on node \"n\")"), reply);
        Assert.Equal(TaskState.Running, h.Status(id).State);
    }

    [Fact]
    public void An_unreachable_node_gets_no_new_task_but_keeps_its_running_ones()
    {
        var h = new StateHarness();
        h.Register("n", slots: 2);
        var running = h.Submit();
        h.Dispatch();
        h.SetReachable("n", false);
        var waiting = h.Submit();

        Assert.Equal(0, h.Dispatch());
        Assert.Equal("no worker node is reachable (1 registered, all unreachable)", h.Status(waiting).PendingReason);
        h.Succeed(running);
        Assert.Equal(TaskState.Succeeded, h.Status(running).State);
        Assert.Equal(0, h.Dispatch());

        h.SetReachable("n", true);
        Assert.Equal(1, h.Dispatch());
        Assert.Equal("n", h.NodeOf(waiting));
    }

    [Fact]
    public void Losing_a_node_requeues_its_tasks_until_their_attempts_run_out()
    {
        var h = new StateHarness();
        var id = h.Submit(maxAttempts: 2);
        h.Register("n1", slots: 1);
        h.Dispatch();

        h.Lose("n1");
        Assert.Equal((TaskState.Queued, 1), (h.Status(id).State, h.Status(id).Attempts));
        h.Register("n2", slots: 1);
        h.Dispatch();
        Assert.Equal(("n2", 2), (h.NodeOf(id), h.Status(id).Attempts));
        h.Lose("n2");

        Assert.Equal(TaskState.Failed, h.Status(id).State);
        Assert.Equal("the worker was lost 2 times (max attempts 2); the last one was node \"n2\"", h.Status(id).Error);
        Assert.Empty(h.State.NodesView().Nodes);
    }

    [Fact]
    public void A_lost_node_ends_a_task_whose_cancel_was_pending_as_cancelled()
    {
        var h = new StateHarness();
        h.Register("n", slots: 1);
        var id = h.Submit();
        h.Dispatch();
        h.Do(h.State.DecideCancel(id, h.Now));

        h.Lose("n");

        Assert.Equal(TaskState.Cancelled, h.Status(id).State);
        Assert.Equal(0, h.State.Queues.Queued);
    }
}
