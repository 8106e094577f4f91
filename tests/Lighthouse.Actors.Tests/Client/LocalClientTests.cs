using Akka.Actor;
using Lighthouse.Client;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>A LighthouseClient over a scheduler in the same ActorSystem, with a test worker agent.</summary>
public sealed class LocalClientTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private (IActorRef Scheduler, LighthouseClient Client) Start(LighthouseClientOptions? options = null, bool withWorker = true)
    {
        var scheduler = Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default));
        if (withWorker) Sys.ActorOf(TestWorkerAgent.Props(scheduler));
        return (scheduler, LighthouseClient.Create(Sys, scheduler, options));
    }

    private static async Task WorkerRegistered(LighthouseClient client) =>
        await Eventually.Holds(async () => (await client.GetNodesAsync()).Nodes.Count == 1, "the test worker registers");

    [Fact]
    public async Task A_submitted_task_is_waited_for_with_progress_and_ends_with_its_result()
    {
        var (_, client) = Start();
        await WorkerRegistered(client);
        var reports = new List<TaskInfo>();

        var id = await client.SubmitAsync("echo", """{"n": 1}""", "alice").Within();
        var final = await client.WaitAsync(id, new SynchronousProgress(reports.Add)).Within();

        Assert.Equal((id, TaskState.Succeeded, """{"n": 1}""", "alice"), (final.TaskId, final.State, final.Result, final.UserId));
        Assert.Equal("test-worker", final.Node);
        Assert.Equal(final, reports[^1]);
        Assert.Equal(final, await client.GetAsync(id).Within());
    }

    [Fact]
    public async Task A_failing_task_is_waited_for_and_ends_failed_with_its_error()
    {
        var (_, client) = Start();

        var id = await client.SubmitAsync("fail", "[1]", "alice").Within();
        var final = await client.WaitAsync(id).Within();

        Assert.Equal((TaskState.Failed, "failed on purpose: [1]"), (final.State, final.Error));
    }

    [Fact]
    public async Task A_rejected_submission_throws_with_the_schedulers_reason()
    {
        var (_, client) = Start();

        var rejected = await Assert.ThrowsAsync<LighthouseRejectedException>(() => client.SubmitAsync("echo", "{'a': 1}", "alice").Within());

        Assert.StartsWith("payload is not valid JSON", rejected.Reason);
        Assert.Equal(RejectionCode.InvalidSubmission, rejected.Code);
        Assert.Equal("echo", rejected.TaskName);
        Assert.NotNull(rejected.SubmissionId);
        Assert.StartsWith("submission of task \"echo\" was rejected: payload is not valid JSON", rejected.Message);
        Assert.Equal(0, (await client.GetQueuesAsync().Within()).Queued);
    }

    [Fact]
    public async Task An_unknown_task_id_throws_with_the_schedulers_message_for_status_cancel_and_wait()
    {
        var (_, client) = Start();

        var get = await Assert.ThrowsAsync<LighthouseUnknownTaskException>(() => client.GetAsync("no-such-task").Within());
        var cancel = await Assert.ThrowsAsync<LighthouseUnknownTaskException>(() => client.CancelAsync("no-such-task").Within());
        var wait = await Assert.ThrowsAsync<LighthouseUnknownTaskException>(() => client.WaitAsync("no-such-task").Within());

        Assert.Equal(("no-such-task", "unknown task id no-such-task"), (get.TaskId, get.Message));
        Assert.Equal(get.Message, cancel.Message);
        Assert.Equal(get.Message, wait.Message);
    }

    [Fact]
    public async Task Cancelling_a_queued_task_cancels_it_and_a_second_cancel_finds_it_finished()
    {
        var (_, client) = Start(withWorker: false);
        var id = await client.SubmitAsync("echo", "{}", "alice").Within();

        Assert.Equal(new CancelResult(id, CancelOutcome.Cancelled), await client.CancelAsync(id).Within());
        Assert.Equal(new CancelResult(id, CancelOutcome.AlreadyFinished, FinishedState: TaskState.Cancelled), await client.CancelAsync(id).Within());
        Assert.Equal(TaskState.Cancelled, (await client.WaitAsync(id).Within()).State);
    }

    [Fact]
    public async Task Cancelling_a_running_task_is_pending_on_its_node_until_the_worker_acknowledges()
    {
        var (_, client) = Start();
        var id = await client.SubmitAsync("hold", "{}", "alice").Within();
        await Eventually.Holds(async () => (await client.GetAsync(id)).Progress == 50, "the held task reports 50%");

        var cancel = await client.CancelAsync(id).Within();
        var final = await client.WaitAsync(id).Within();

        Assert.Equal(new CancelResult(id, CancelOutcome.Pending, Node: "test-worker"), cancel);
        Assert.Equal(TaskState.Cancelled, final.State);
    }

    [Fact]
    public async Task ListAsync_returns_one_users_tasks_in_submission_order()
    {
        var (_, client) = Start(withWorker: false);
        var bob = new[] { await client.SubmitAsync("echo", "1", "bob"), await client.SubmitAsync("echo", "2", "bob") };
        await client.SubmitAsync("echo", "3", "carol");

        var listed = await client.ListAsync("bob").Within();

        Assert.Equal(bob, listed.Select(t => t.TaskId));
        Assert.All(listed, t => Assert.Equal(("bob", TaskState.Queued), (t.UserId, t.State)));
        Assert.Empty(await client.ListAsync("nobody").Within());
    }

    [Fact]
    public async Task Nodes_queues_and_statistics_describe_the_scheduler()
    {
        var (_, client) = Start();
        await WorkerRegistered(client);
        var done = await client.SubmitAsync("echo", "{}", "alice");
        await client.WaitAsync(done).Within();
        await client.SubmitAsync("unhandled", "{}", "alice", priority: 3);

        var node = Assert.Single((await client.GetNodesAsync().Within()).Nodes);
        var queues = await client.GetQueuesAsync().Within();
        var statistics = await client.GetStatisticsAsync().Within();

        Assert.Equal(("test-worker", WorkerNodeState.Reachable, 64), (node.Node, node.State, node.Slots));
        Assert.Equal(TestWorkerAgent.TaskNames.Order(), node.TaskNames.Order());
        Assert.Equal(1, queues.Queued);
        Assert.Equal(1, queues.QueuedByPriority[3]);
        Assert.Equal("alice", Assert.Single(queues.Users).UserId);
        var echo = Assert.Single(statistics.TaskNames);
        Assert.Equal(("echo", 1, 1), (echo.TaskName, echo.Finished, echo.Succeeded));
    }

    [Fact]
    public async Task A_thousand_pipelined_submissions_get_distinct_ids_and_their_own_results()
    {
        var (_, client) = Start();
        await WorkerRegistered(client);

        var ids = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.SubmitAsync("echo", $$"""{"i": {{i}}}""", $"user-{i % 4}"))).Within();
        var finals = await Task.WhenAll(ids.Select(id => client.WaitAsync(id))).Within();

        Assert.Equal(1000, ids.Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal((ids[i], TaskState.Succeeded, $$"""{"i": {{i}}}""", $"user-{i % 4}"), (finals[i].TaskId, finals[i].State, finals[i].Result, finals[i].UserId));
        }
    }

    [Fact]
    public async Task RunAsync_submits_and_returns_the_end_with_and_without_progress()
    {
        var (_, client) = Start();
        await WorkerRegistered(client);
        var reports = new List<TaskInfo>();

        var plain = await client.RunAsync("echo", "[1]", "alice").Within();
        var followed = await client.RunAsync("echo", "[2]", "alice", progress: new SynchronousProgress(reports.Add)).Within();
        var failed = await client.RunAsync("fail", "[3]", "alice").Within();

        Assert.Equal((TaskState.Succeeded, "[1]"), (plain.State, plain.Result));
        Assert.Equal((TaskState.Succeeded, "[2]"), (followed.State, followed.Result));
        Assert.Equal(followed, reports[^1]);
        Assert.Equal((TaskState.Failed, "failed on purpose: [3]"), (failed.State, failed.Error));
    }

    [Fact]
    public async Task A_thousand_pipelined_runs_end_with_their_own_results()
    {
        var (_, client) = Start();
        await WorkerRegistered(client);

        var finals = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.RunAsync("echo", $"[{i}]", $"user-{i % 4}"))).Within();

        Assert.Equal(1000, finals.Select(f => f.TaskId).Distinct().Count());
        for (var i = 0; i < finals.Length; i++)
            Assert.Equal((TaskState.Succeeded, $"[{i}]", $"user-{i % 4}"), (finals[i].State, finals[i].Result, finals[i].UserId));
    }

    [Fact]
    public async Task A_repeated_submission_id_answers_the_original_task_and_queues_nothing_more()
    {
        var (_, client) = Start(withWorker: false);
        var submission = new SubmitTask("echo", "{}", "alice", SubmissionId: "my-retry-id");

        var first = await client.SubmitAsync(submission).Within();
        var second = await client.SubmitAsync(submission).Within();

        Assert.Equal(first, second);
        Assert.Equal(1, (await client.GetQueuesAsync().Within()).Queued);
        Assert.Equal("my-retry-id", (await client.GetAsync(first).Within()).SubmissionId);
    }

    [Fact]
    public async Task A_submission_whose_answer_is_late_is_resent_with_the_same_id_and_queued_once()
    {
        var scheduler = Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default));
        var slow = Sys.ActorOf(Props.Create(() => new FirstSubmissionHeldBack(scheduler, TimeSpan.FromMilliseconds(600))));
        await using var client = LighthouseClient.Create(Sys, slow, new LighthouseClientOptions { RetryInterval = TimeSpan.FromMilliseconds(150) });

        var id = await client.SubmitAsync("echo", "{}", "alice").Within();
        var copies = await slow.Ask<IReadOnlyList<SubmitTask>>(FirstSubmissionHeldBack.Report.Instance).Within();

        Assert.True(copies.Count >= 2, $"the submission was sent {copies.Count} time(s)");
        Assert.Single(copies.Select(c => c.SubmissionId).Distinct());
        Assert.Equal(1, (await client.GetQueuesAsync().Within()).Queued);
        Assert.Equal(id, Assert.Single(await client.ListAsync("alice").Within()).TaskId);
    }

    [Fact]
    public async Task A_silent_scheduler_gets_resends_and_the_request_fails_as_unavailable_after_its_timeout()
    {
        var silent = CreateTestProbe();
        await using var client = LighthouseClient.Create(Sys, silent.Ref, new LighthouseClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(800),
            RetryInterval = TimeSpan.FromMilliseconds(200),
        });

        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() => client.SubmitAsync("echo", "{}", "alice").Within());

        var first = silent.ExpectRequest<SubmitTask>();
        var resent = silent.ExpectRequest<SubmitTask>();
        Assert.Equal(first.Wire, resent.Wire);
        Assert.NotNull(first.Request.SubmissionId);
        Assert.Equal(silent.Ref.Path.ToString(), error.Address);
        Assert.Contains($"no answer from the scheduler at {silent.Ref.Path} to SubmitTask", error.Message);
        Assert.Contains("within 0.8s", error.Message);
    }

    [Fact]
    public async Task A_stopped_scheduler_fails_pending_and_later_requests_at_once()
    {
        var doomed = CreateTestProbe();
        await using var client = LighthouseClient.Create(Sys, doomed.Ref, new LighthouseClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });
        var pending = client.GetAsync("t1");
        doomed.ExpectRequest<GetTaskStatus>();

        Sys.Stop(doomed.Ref);

        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() => pending.Within());
        Assert.Contains("has stopped", error.Message);
        await Assert.ThrowsAsync<LighthouseUnavailableException>(() => client.GetNodesAsync().Within());
    }

    [Fact]
    public async Task A_cancelled_token_ends_the_call_without_waiting_for_the_timeout()
    {
        var silent = CreateTestProbe();
        await using var client = LighthouseClient.Create(Sys, silent.Ref, new LighthouseClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });
        using var cancellation = new CancellationTokenSource();

        var call = client.WaitAsync("t1", cancellationToken: cancellation.Token);
        silent.ExpectRequest<WatchTask>();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.Within());
    }

    [Fact]
    public async Task Disposing_fails_pending_calls_and_refuses_new_ones()
    {
        var silent = CreateTestProbe();
        var client = LighthouseClient.Create(Sys, silent.Ref, new LighthouseClientOptions { RequestTimeout = TimeSpan.FromMinutes(5) });
        var pending = client.GetQueuesAsync();
        silent.ExpectRequest<GetQueues>();

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Within());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetQueuesAsync());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_request_to_a_client_actor_stopped_by_someone_else_fails_instead_of_hanging()
    {
        var actor = Sys.ActorOf(SchedulerClientActor.PropsFor(CreateTestProbe().Ref));
        var client = LighthouseClient.Over(actor);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetQueuesAsync().Within());

        Assert.Contains("has stopped", error.Message);
    }

    [Fact]
    public void Unusable_options_are_refused_by_name()
    {
        var timeout = Assert.Throws<ArgumentException>(() => LighthouseClient.Create(Sys, TestActor, new LighthouseClientOptions { RequestTimeout = TimeSpan.Zero }));
        var level = Assert.Throws<ArgumentException>(() => LighthouseClient.Create(Sys, TestActor, new LighthouseClientOptions { LogLevel = "LOUD" }));

        Assert.Contains("RequestTimeout 00:00:00 is invalid", timeout.Message);
        Assert.Contains("LogLevel \"LOUD\" is invalid", level.Message);
    }

    /// <summary>Reports synchronously, so the test sees every report before WaitAsync returns.</summary>
    private sealed class SynchronousProgress(Action<TaskInfo> report) : IProgress<TaskInfo>
    {
        public void Report(TaskInfo value) => report(value);
    }

    /// <summary>Forwards to the scheduler, but holds the first submission back for a while: its answer is late, not lost.</summary>
    private sealed class FirstSubmissionHeldBack : ReceiveActor
    {
        private readonly List<SubmitTask> _seen = [];

        public FirstSubmissionHeldBack(IActorRef scheduler, TimeSpan delay)
        {
            Receive<CorrelatedRequest>(request => request.Request is SubmitTask, request =>
            {
                _seen.Add((SubmitTask)request.Request);
                if (_seen.Count == 1)
                    Context.System.Scheduler.ScheduleTellOnce(delay, scheduler, request, Sender);
                else
                    scheduler.Forward(request);
            });
            Receive<Report>(_ => Sender.Tell(_seen.ToArray()));
            ReceiveAny(message => scheduler.Forward(message));
        }

        public sealed record Report
        {
            public static Report Instance { get; } = new();
        }
    }
}
