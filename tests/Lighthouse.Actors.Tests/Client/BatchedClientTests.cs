using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using Lighthouse.Client;
using Lighthouse.Messaging;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Client;

/// <summary>
/// The client against a TestProbe standing in for the scheduler: what goes on the wire (batches, WatchTask instead
/// of status polls) and how batched answers and pushed task ends reach the callers.
/// </summary>
public sealed class BatchedClientTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static TaskInfo Info(string taskId, TaskState state, double progress = 0, string? result = null) =>
        new(taskId, "echo", "alice", 0, state, progress, result, null, state == TaskState.Queued ? null : "node-1", state == TaskState.Queued ? 0 : 1, 3,
            DateTimeOffset.UnixEpoch, null, null, null, false, null);

    private (TestProbe Scheduler, LighthouseClient Client) Start(LighthouseClientOptions? options = null)
    {
        var scheduler = CreateTestProbe();
        return (scheduler, LighthouseClient.Create(Sys, scheduler.Ref, options));
    }

    /// <summary>Pushes <paramref name="info"/> to the client as the scheduler does for a watched task.</summary>
    private static void Push(TestProbe scheduler, LighthouseClient client, TaskInfo info) => client.Actor.Tell(new TaskUpdated(info), scheduler.Ref);

    [Fact]
    public async Task Many_submissions_made_at_once_travel_in_batches_and_each_caller_gets_its_own_answer_from_a_batched_reply()
    {
        var probe = CreateTestProbe();
        // Holds the client's first send until every call has been made, so that the rest wait in its mailbox together.
        using var gate = new ManualResetEventSlim(false);
        var scheduler = new GatedRef(probe.Ref, gate, (ExtendedActorSystem)Sys);
        await using var client = LighthouseClient.Create(Sys, scheduler);
        const int count = 300;

        var calls = Enumerable.Range(0, count).Select(i => client.SubmitAsync(new SubmitTask("echo", $"[{i}]", "alice", SubmissionId: $"s{i}"))).ToArray();
        gate.Set();
        var received = new List<CorrelatedRequest>();
        var sends = 0;
        while (received.Count < count)
        {
            sends++;
            var message = probe.ReceiveOne(Eventually.Bound);
            if (message is MessageBatch batch) received.AddRange(batch.Messages.Cast<CorrelatedRequest>());
            else received.Add(Assert.IsType<CorrelatedRequest>(message));
        }
        // Answered out of order, in one batch: each answer finds its call by its request's id.
        probe.Reply(new MessageBatch(received.AsEnumerable().Reverse()
            .Select(r => (object)SchedulerProbe.Answer(r, new SubmissionAccepted("task-" + ((SubmitTask)r.Request).SubmissionId, ((SubmitTask)r.Request).SubmissionId, false))).ToArray()));
        var ids = await Task.WhenAll(calls).Within();

        // Batched: a handful of sends for 300 calls. Not an exact count: how many calls reach the mailbox before the
        // first flush is a race, and a batch also closes at the outbox's byte cap (300 submissions are ~30 KB).
        Assert.InRange(sends, 1, 2 + 2 * ((count + Outbox.MaxMessages - 1) / Outbox.MaxMessages));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"s{i}"), received.Select(r => Assert.IsType<SubmitTask>(r.Request).SubmissionId));
        Assert.Equal(count, received.Select(r => r.CorrelationId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"task-s{i}"), ids);
    }

    [Fact]
    public async Task WaitAsync_sends_WatchTask_instead_of_polling_and_ends_on_the_pushed_end()
    {
        var (scheduler, client) = Start();

        var wait = client.WaitAsync("t1");
        var watch = scheduler.ExpectRequest<WatchTask>();
        Assert.Equal(new WatchTask("t1", Progress: false, Collect: true), watch.Request);
        scheduler.Answer(watch, Info("t1", TaskState.Running));
        scheduler.ExpectNoMsg(Quiet);
        Assert.False(wait.IsCompleted);
        Push(scheduler, client, Info("t1", TaskState.Succeeded, 100, "[1]"));

        var final = await wait.Within();
        Assert.Equal(("t1", TaskState.Succeeded, "[1]"), (final.TaskId, final.State, final.Result));
    }

    [Fact]
    public async Task A_wait_ends_at_once_when_the_answer_to_its_WatchTask_shows_the_task_finished()
    {
        var (scheduler, client) = Start();

        var wait = client.WaitAsync("t1");
        scheduler.Answer(scheduler.ExpectRequest<WatchTask>(), Info("t1", TaskState.Failed));

        Assert.Equal(TaskState.Failed, (await wait.Within()).State);
    }

    [Fact]
    public async Task Progress_pushes_reach_the_callback_once_per_change_before_the_wait_ends()
    {
        var (scheduler, client) = Start();
        var reports = new ConcurrentQueue<TaskInfo>();

        var wait = client.WaitAsync("t1", new SynchronousProgress(reports.Enqueue));
        var watch = scheduler.ExpectRequest<WatchTask>();
        Assert.Equal(new WatchTask("t1", Progress: true, Collect: true), watch.Request);
        scheduler.Answer(watch, Info("t1", TaskState.Queued));
        Push(scheduler, client, Info("t1", TaskState.Running, 50));
        Push(scheduler, client, Info("t1", TaskState.Running, 50));
        Push(scheduler, client, Info("t1", TaskState.Succeeded, 100));
        var final = await wait.Within();

        Assert.Equal([(TaskState.Queued, 0.0), (TaskState.Running, 50.0), (TaskState.Succeeded, 100.0)], reports.Select(r => (r.State, r.Progress)));
        Assert.Equal(final, reports.Last());
    }

    [Fact]
    public async Task A_task_heard_nothing_of_for_the_refresh_interval_is_asked_about_again_and_that_answer_ends_the_wait()
    {
        var (scheduler, client) = Start(new LighthouseClientOptions { WatchRefreshInterval = TimeSpan.FromMilliseconds(100) });

        var wait = client.WaitAsync("t1");
        scheduler.Answer(scheduler.ExpectRequest<WatchTask>(), Info("t1", TaskState.Running));
        // As after a scheduler that moved and forgot its watches: no push comes.
        var again = scheduler.ExpectRequest<WatchTask>(Eventually.Bound);
        scheduler.Answer(again, Info("t1", TaskState.Succeeded));

        Assert.Equal(new WatchTask("t1", Progress: false, Collect: true), again.Request);
        Assert.Equal(TaskState.Succeeded, (await wait.Within()).State);
    }

    [Fact]
    public async Task Several_waits_for_one_task_share_one_watch()
    {
        var (scheduler, client) = Start();

        var first = client.WaitAsync("t1");
        var watch = scheduler.ExpectRequest<WatchTask>();
        var second = client.WaitAsync("t1");
        scheduler.Answer(watch, Info("t1", TaskState.Running));
        scheduler.ExpectNoMsg(Quiet);
        Push(scheduler, client, Info("t1", TaskState.Cancelled));

        Assert.Equal([TaskState.Cancelled, TaskState.Cancelled], (await Task.WhenAll(first, second).Within()).Select(i => i.State));
    }

    [Fact]
    public async Task A_pushed_end_nobody_waited_for_is_found_by_a_later_wait_without_asking()
    {
        var (scheduler, client) = Start();

        Push(scheduler, client, Info("t1", TaskState.Succeeded, 100, "[7]"));
        var final = await client.WaitAsync("t1").Within();

        Assert.Equal("[7]", final.Result);
        scheduler.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task An_UnknownTask_answer_fails_the_wait_with_the_schedulers_message()
    {
        var (scheduler, client) = Start();

        var wait = client.WaitAsync("gone");
        scheduler.Answer(scheduler.ExpectRequest<WatchTask>(), new UnknownTask("gone"));

        var error = await Assert.ThrowsAsync<LighthouseUnknownTaskException>(() => wait.Within());
        Assert.Equal(("gone", "unknown task id gone"), (error.TaskId, error.Message));
    }

    [Fact]
    public async Task A_wait_whose_WatchTask_is_never_answered_fails_as_unavailable_after_the_request_timeout()
    {
        var (scheduler, client) = Start(new LighthouseClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500), RetryInterval = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<LighthouseUnavailableException>(() => client.WaitAsync("t1").Within());

        Assert.Contains($"no answer from the scheduler at {scheduler.Ref.Path} to WatchTask", error.Message);
    }

    [Fact]
    public async Task RunAsync_submits_with_Watch_and_ends_on_the_push_that_follows_the_acceptance_in_the_same_batch()
    {
        var (scheduler, client) = Start();

        var run = client.RunAsync("echo", "[1]", "alice", priority: 2);
        var asked = scheduler.ExpectRequest<SubmitTask>();
        var submitted = asked.Request;
        scheduler.Reply(new MessageBatch([SchedulerProbe.Answer(asked.Wire, new SubmissionAccepted("t1", submitted.SubmissionId, false)), new TaskUpdated(Info("t1", TaskState.Succeeded, 100, "[1]"))]));
        var final = await run.Within();

        Assert.Equal(("echo", "[1]", "alice", 2, true), (submitted.TaskName, submitted.Payload, submitted.UserId, submitted.Priority, submitted.Watch));
        Assert.NotNull(submitted.SubmissionId);
        Assert.Equal(("t1", "[1]"), (final.TaskId, final.Result));
        scheduler.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_resent_run_answered_as_a_duplicate_still_ends_in_the_result()
    {
        var (scheduler, client) = Start(new LighthouseClientOptions { RetryInterval = TimeSpan.FromMilliseconds(100) });

        var run = client.RunAsync(new SubmitTask("echo", "{}", "alice", SubmissionId: "mine"));
        var first = scheduler.ExpectRequest<SubmitTask>();
        // The first answer is lost; the resend (same submission, same id) is answered as a duplicate, and the end is pushed after it.
        var resent = scheduler.ExpectRequest<SubmitTask>(Eventually.Bound);
        scheduler.Answer(resent, new SubmissionAccepted("t1", "mine", Duplicate: true));
        Push(scheduler, client, Info("t1", TaskState.Succeeded));

        Assert.Equal(first.Wire, resent.Wire);
        Assert.Equal(("t1", TaskState.Succeeded), ((await run.Within()).TaskId, (await run).State));
    }

    [Fact]
    public async Task RunAsync_with_progress_watches_the_accepted_task_for_its_changes()
    {
        var (scheduler, client) = Start();
        var reports = new ConcurrentQueue<TaskInfo>();

        var run = client.RunAsync("echo", "{}", "alice", progress: new SynchronousProgress(reports.Enqueue));
        var submitted = scheduler.ExpectRequest<SubmitTask>();
        scheduler.Answer(submitted, new SubmissionAccepted("t1", submitted.Request.SubmissionId, false));
        var watch = scheduler.ExpectRequest<WatchTask>();
        Assert.Equal(new WatchTask("t1", Progress: true, Collect: true), watch.Request);
        scheduler.Answer(watch, Info("t1", TaskState.Running, 10));
        Push(scheduler, client, Info("t1", TaskState.Succeeded, 100));
        var final = await run.Within();

        Assert.Equal([10.0, 100.0], reports.Select(r => r.Progress));
        Assert.Equal(TaskState.Succeeded, final.State);
    }

    [Fact]
    public async Task A_rejected_run_throws_with_the_schedulers_reason()
    {
        var (scheduler, client) = Start();

        var run = client.RunAsync("echo", "{", "alice");
        var submitted = scheduler.ExpectRequest<SubmitTask>();
        scheduler.Answer(submitted, new SubmissionRejected(submitted.Request.SubmissionId, "payload is not valid JSON", RejectionCode.InvalidSubmission));

        var rejected = await Assert.ThrowsAsync<LighthouseRejectedException>(() => run.Within());
        Assert.Equal(("payload is not valid JSON", submitted.Request.SubmissionId), (rejected.Reason, rejected.SubmissionId));
    }

    [Fact]
    public async Task Answers_and_pushes_in_one_batch_are_handled_in_order_each_as_if_it_came_alone()
    {
        var (scheduler, client) = Start();

        var wait = client.WaitAsync("t1");
        var queues = client.GetQueuesAsync();
        var requests = scheduler.ReceiveRequests(2);
        Assert.Equal([typeof(WatchTask), typeof(GetQueues)], requests.Select(r => r.Request.GetType()));
        scheduler.Reply(new MessageBatch([SchedulerProbe.Answer(requests[0], Info("t1", TaskState.Running)),
            SchedulerProbe.Answer(requests[1], new QueuesView(0, 0, new Dictionary<int, int>(), [])), new TaskUpdated(Info("t1", TaskState.Succeeded))]));

        Assert.Equal(TaskState.Succeeded, (await wait.Within()).State);
        Assert.Equal(0, (await queues.Within()).Queued);
    }

    [Fact]
    public async Task The_plain_queues_read_is_the_unpaged_request_every_scheduler_version_answers()
    {
        var (scheduler, client) = Start();

        var queues = client.GetQueuesAsync();
        var request = scheduler.ExpectRequest<GetQueues>();
        scheduler.Answer(request, new QueuesView(0, 0, new Dictionary<int, int>(), []));

        // "GQ", not the paged "GR" that schedulers older than paging do not know: ConnectAsync's check sends this read.
        Assert.Same(GetQueues.Instance, request.Request);
        Assert.Equal(0, (await queues.Within()).Queued);
    }

    /// <summary>Reports synchronously, so the test sees every report before the wait returns.</summary>
    private sealed class SynchronousProgress(Action<TaskInfo> report) : IProgress<TaskInfo>
    {
        public void Report(TaskInfo value) => report(value);
    }

    /// <summary>A scheduler reference whose sends block until <paramref name="gate"/> opens; then it passes them to <paramref name="inner"/>.</summary>
    private sealed class GatedRef(IActorRef inner, ManualResetEventSlim gate, ExtendedActorSystem system) : MinimalActorRef
    {
        public override ActorPath Path { get; } = inner.Path / "gated";

        public override IActorRefProvider Provider => system.Provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (!gate.Wait(Eventually.Bound)) throw new TimeoutException("the gate never opened");
            inner.Tell(message, sender);
        }
    }
}
