using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;
using Xunit.Abstractions;

namespace Lighthouse.Worker.Tests.Agent;

/// <summary>
/// The agent against probes: one plays the scheduler (registration), one the node's NodeStateActor (the contact
/// that starts and cancels tasks and takes the reports). Every wait is bounded; it only lasts when a test fails.
/// </summary>
public sealed class WorkerAgentTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private const string Node = "w1";
    private static readonly TimeSpan Wait = Inbox.Wait;

    /// <summary>A gate handlers wait on until the test opens it; also counts the handlers that reached it.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _arrived = new(0);

        public async Task Pass(CancellationToken token = default)
        {
            _arrived.Release();
            await _open.Task.WaitAsync(token);
        }

        public void Arrived(int count)
        {
            for (var i = 0; i < count; i++) Assert.True(_arrived.Wait(Wait), $"handler {i + 1} of {count} did not start");
        }

        public void Open() => _open.TrySetResult();
    }

    /// <summary>
    /// A clock the test can stop the agent on: the agent's next reading of it after <see cref="HoldNextReading"/> waits
    /// until <see cref="Release"/> (bounded, so a failing test does not hold the agent for ever). The agent reads its clock
    /// when it hands a final report to the outbox, so holding it there lets the test line messages up behind that report.
    /// </summary>
    private sealed class HoldingClock : TimeProvider
    {
        private readonly ManualResetEventSlim _holding = new();
        private readonly ManualResetEventSlim _release = new();
        private int _armed;

        public void HoldNextReading() => Volatile.Write(ref _armed, 1);

        public void AwaitHolding() => Assert.True(_holding.Wait(Wait), "the agent did not read its clock");

        public void Release() => _release.Set();

        public override long GetTimestamp()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _holding.Set();
                _release.Wait(Wait);
            }
            return base.GetTimestamp();
        }
    }

    /// <summary>Messages waiting in the actor's mailbox.</summary>
    private static int Queued(IActorRef actor) => ((ActorRefWithCell)actor).Underlying.NumberOfMessages;

    private static MessageBatch Batch(params object[] messages) => new(messages);

    private static WorkerHub Hub(Action<WorkerHubOptions>? more = null, int slots = 2) => WorkerHub.Create(o =>
    {
        o.NodeName = Node;
        o.Slots = slots;
        o.RegistrationRetryMin = TimeSpan.FromMilliseconds(50);
        o.RegistrationRetryMax = TimeSpan.FromMilliseconds(200);
        o.ProgressInterval = TimeSpan.FromMilliseconds(50);
        o.AddBuiltInHandlers();
        more?.Invoke(o);
    });

    private static StartTask Start(string id, string name, string payload = "{}") => new(id, name, payload, "alice", 0, 1);

    /// <summary>
    /// A registered agent running task <c>t1</c> of a handler that waits until its token fires; the returned task
    /// completes when it does.
    /// </summary>
    private (IActorRef Agent, TestProbe Scheduler, Inbox Contact, TaskCompletionSource TokenFired) RunningGatedTask(int slots = 2)
    {
        var tokenFired = new TaskCompletionSource();
        var gate = new Gate();
        var (agent, scheduler, contact) = Registered(Hub(o => o.Handle("long", async c =>
        {
            c.CancellationToken.Register(() => tokenFired.TrySetResult());
            await gate.Pass(c.CancellationToken);
            return c.Payload;
        }), slots));
        contact.Send(agent, Start("t1", "long"));
        gate.Arrived(1);
        return (agent, scheduler, contact, tokenFired);
    }

    private (IActorRef Agent, TestProbe Scheduler, Inbox Contact) Registered(WorkerHub hub, TimeProvider? clock = null)
    {
        var scheduler = CreateTestProbe("scheduler");
        var agent = Sys.ActorOf(WorkerAgent.Props(hub, Node, scheduler.Ref, clock));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        var contact = Probe("contact");
        contact.Send(agent, new WorkerRegistered(Node));
        return (agent, scheduler, contact);
    }

    private Inbox Probe(string name) => new(CreateTestProbe(name));

    [Fact]
    public void Registers_its_declaration_and_retries_until_the_scheduler_answers()
    {
        var hub = WorkerHub.Create(o =>
        {
            o.NodeName = Node;
            o.Slots = 3;
            o.Priorities = new PriorityRange(0, 10);
            o.RegistrationRetryMin = TimeSpan.FromMilliseconds(50);
            o.RegistrationRetryMax = TimeSpan.FromMilliseconds(100);
            o.Resource("cpu", 4).Tag("ssd").Ward("dmz").AddBuiltInHandlers();
        });
        var scheduler = CreateTestProbe();
        Sys.ActorOf(WorkerAgent.Props(hub, Node, scheduler.Ref));

        var first = scheduler.ExpectMsg<RegisterWorker>(Wait);
        Assert.Equal(Node, first.Node);
        Assert.Equal(3, first.Slots);
        Assert.Equal(new PriorityRange(0, 10), first.Priorities);
        Assert.Equal(["cpu", "echo", "fail", "sleep"], first.TaskNames);
        Assert.Equal(new Dictionary<string, double> { ["cpu"] = 4, ["dmz"] = double.NegativeInfinity, ["ssd"] = 0 }, first.Resources);

        // Unanswered: it asks again, and again.
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        scheduler.ExpectMsg<RegisterWorker>(Wait);

        scheduler.Reply(new WorkerRegistered(Node));
        // One retry may already be on its way; after that, silence for several retry periods.
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(150), m => m as RegisterWorker);
        scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_refused_registration_is_tried_again()
    {
        var scheduler = CreateTestProbe();
        Sys.ActorOf(WorkerAgent.Props(Hub(), Node, scheduler.Ref));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        scheduler.Reply(new WorkerRegistrationRejected(Node, "node \"w1\" is already registered"));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
    }

    [Fact]
    public void A_start_before_registration_is_ignored_not_failed_and_the_registration_does_not_name_it() =>
        // A failure report would end the task failed for good; unanswered, the scheduler re-queues it when this node
        // registers without naming it (or is removed).
        StartsBeforeRegistrationAreIgnored(Start("t1", "echo"));

    /// <summary>
    /// <paramref name="starts"/> from a stranger to an agent still registering get no answer, and nothing of them runs:
    /// registered afterwards, the agent has no task to name when its contact goes.
    /// </summary>
    private void StartsBeforeRegistrationAreIgnored(object starts)
    {
        var scheduler = CreateTestProbe();
        var agent = Sys.ActorOf(WorkerAgent.Props(Hub(), Node, scheduler.Ref));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        var stranger = Probe("stranger");
        stranger.Send(agent, starts);
        stranger.ExpectNone(TimeSpan.FromMilliseconds(200));

        var contact = Probe("contact");
        contact.Send(agent, new WorkerRegistered(Node));
        contact.ExpectNone(TimeSpan.FromMilliseconds(200));
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);
        Sys.Stop(contact.Ref);
        Assert.Null(scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
    }

    [Theory]
    [InlineData("\"EXIT\"")]
    [InlineData("  {\"z\": 1, \"a\": [true, null, 1.50]}  ")]
    public void Echo_succeeds_with_the_exact_payload_and_the_worker_keeps_serving(string payload)
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "echo", payload));
        Assert.Equal(new ReportSuccess("t1", payload), contact.Expect<ReportSuccess>());

        contact.Send(agent, Start("t2", "echo", "2"));
        Assert.Equal(new ReportSuccess("t2", "2"), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_chatty_handler_has_its_progress_coalesced_within_0_to_100()
    {
        var gate = new Gate();
        var (agent, _, contact) = Registered(Hub(o => o.Handle("chatty", async c =>
        {
            for (var i = 0; i <= 10_000; i++) c.ReportProgress(i / 100.0);
            await gate.Pass();
            return c.Payload;
        })));
        contact.Send(agent, Start("t1", "chatty"));
        gate.Arrived(1);

        // 10,001 reports reach at most 101 whole percents; within one progress interval most of them wait and
        // only the latest goes out when it ends. The last value, 100, must arrive.
        var progress = new List<ReportProgress>();
        while (progress.Count == 0 || progress[^1].Percent < 100)
            progress.Add(contact.Expect<ReportProgress>());
        gate.Open();
        Assert.Equal(new ReportSuccess("t1", "{}"), contact.Next<ReportSuccess>(progress));

        Assert.All(progress, p => Assert.Equal("t1", p.TaskId));
        Assert.All(progress, p => Assert.InRange(p.Percent, 0, 100));
        Assert.Equal(progress.Select(p => p.Percent).Order(), progress.Select(p => p.Percent));
        Assert.InRange(progress.Count, 2, 10);
    }

    [Fact]
    public void A_task_beyond_the_slots_is_refused_and_the_running_ones_finish()
    {
        var gate = new Gate();
        var (agent, _, contact) = Registered(Hub(o => o.Handle("wait", async c =>
        {
            await gate.Pass();
            return c.Payload;
        }), slots: 2));
        contact.Send(agent, Start("t1", "wait", "1"));
        contact.Send(agent, Start("t2", "wait", "2"));
        gate.Arrived(2);

        contact.Send(agent, Start("t3", "wait", "3"));
        var refused = contact.Expect<ReportFailure>();
        Assert.Equal("t3", refused.TaskId);
        Assert.Contains("all 2 slots are busy (t1, t2)", refused.Error);

        gate.Open();
        var done = new[] { contact.Expect<ReportSuccess>(), contact.Expect<ReportSuccess>() };
        Assert.Equal(["t1:1", "t2:2"], done.Select(d => $"{d.TaskId}:{d.Result}").Order());

        contact.Send(agent, Start("t4", "echo", "4"));
        Assert.Equal(new ReportSuccess("t4", "4"), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_second_start_of_a_running_task_does_not_run_it_twice()
    {
        var gate = new Gate();
        var runs = 0;
        var (agent, _, contact) = Registered(Hub(o => o.Handle("once", async c =>
        {
            Interlocked.Increment(ref runs);
            await gate.Pass();
            return c.Payload;
        })));
        contact.Send(agent, Start("t1", "once"));
        gate.Arrived(1);
        contact.Send(agent, Start("t1", "once"));
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
        gate.Open();
        Assert.Equal("t1", contact.Expect<ReportSuccess>().TaskId);
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Cancel_fires_the_handlers_token_and_is_acknowledged()
    {
        var (agent, _, contact, tokenFired) = RunningGatedTask();

        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), contact.Expect<AcknowledgeCancel>());
        await tokenFired.Task.WaitAsync(Wait);
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Cancel_of_the_built_in_sleep_stops_it()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "sleep", "{\"ms\": 600000}"));
        Assert.Equal(0, contact.Expect<ReportProgress>().Percent);
        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), contact.Next<AcknowledgeCancel>());
    }

    [Fact]
    public void A_handler_ignoring_cancel_is_acknowledged_after_the_grace_and_its_slot_is_freed()
    {
        var gate = new Gate();
        var (agent, _, contact) = Registered(Hub(o =>
        {
            o.CancelGrace = TimeSpan.FromMilliseconds(100);
            o.Handle("stubborn", async c =>
            {
                await gate.Pass(); // ignores its token
                return c.Payload;
            });
        }, slots: 1));
        contact.Send(agent, Start("t1", "stubborn"));
        gate.Arrived(1);

        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), contact.Expect<AcknowledgeCancel>());

        contact.Send(agent, Start("t2", "echo", "2"));
        Assert.Equal(new ReportSuccess("t2", "2"), contact.Expect<ReportSuccess>());

        // When the abandoned handler finally returns, nothing more is reported about t1.
        gate.Open();
        contact.ExpectNone(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Cancel_of_a_task_not_running_here_is_acknowledged()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, new CancelRunningTask("t9"));
        Assert.Equal(new AcknowledgeCancel("t9"), contact.Expect<AcknowledgeCancel>());
    }

    [Fact]
    public void Fail_reports_the_failure_with_its_message()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "fail", "{\"message\": \"out of coffee\"}"));
        Assert.Equal(new ReportFailure("t1", "out of coffee"), contact.Expect<ReportFailure>());
    }

    [Fact]
    public void A_crashing_handler_fails_its_task_with_the_exception_and_the_worker_keeps_serving()
    {
        var (agent, _, contact) = Registered(Hub(o => o.Handle("crash", c => Task.FromResult<JsonNode?>(c.Payload.GetProperty("missing").GetInt32()))));
        contact.Send(agent, Start("t1", "crash"));
        var failure = contact.Expect<ReportFailure>();
        Assert.StartsWith("KeyNotFoundException: ", failure.Error);

        contact.Send(agent, Start("t2", "echo", "true"));
        Assert.Equal(new ReportSuccess("t2", "true"), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public void An_unknown_task_name_fails_naming_it_and_the_names_handled()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "resize"));
        Assert.Equal(new ReportFailure("t1", "worker node \"w1\" has no handler for task name \"resize\"; it handles: cpu, echo, fail, sleep"),
            contact.Expect<ReportFailure>());
    }

    [Fact]
    public async Task A_handler_past_its_timeout_fails_as_timed_out_and_the_worker_keeps_serving()
    {
        var tokenFired = new TaskCompletionSource();
        var (agent, _, contact) = Registered(Hub(o => o.Handle("hang", async c =>
        {
            c.CancellationToken.Register(() => tokenFired.TrySetResult());
            await Task.Delay(Timeout.Infinite, c.CancellationToken);
            return c.Payload;
        }, timeout: TimeSpan.FromMilliseconds(80)), slots: 1));
        contact.Send(agent, Start("t1", "hang"));
        Assert.Equal(new ReportFailure("t1", "task t1 (hang) timed out after 80 ms, the timeout of its handler; its cancellation token was fired"),
            contact.Expect<ReportFailure>());
        await tokenFired.Task.WaitAsync(Wait);

        contact.Send(agent, Start("t2", "echo", "[]"));
        Assert.Equal(new ReportSuccess("t2", "[]"), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_result_that_is_not_json_fails_the_task_saying_so()
    {
        var (agent, _, contact) = Registered(Hub(o => o.HandleJsonText("text", _ => Task.FromResult("EXIT"))));
        contact.Send(agent, Start("t1", "text"));
        var failure = contact.Expect<ReportFailure>();
        Assert.StartsWith("handler \"text\" returned a result that is not valid JSON: ", failure.Error);
    }

    [Fact]
    public void When_the_contact_terminates_the_agent_keeps_its_tasks_and_registers_again_naming_them()
    {
        var gate = new Gate();
        var (agent, scheduler, contact) = Registered(Hub(o => o.Handle("long", async c =>
        {
            await gate.Pass(c.CancellationToken);
            return c.Payload;
        }), slots: 2));
        contact.Send(agent, Start("t1", "long", "\"one\""));
        contact.Send(agent, Start("t2", "long", "\"two\""));
        gate.Arrived(2);
        // Registration retries sent before the answer are not what this test is about.
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        var again = scheduler.ExpectMsg<RegisterWorker>(Wait);
        Assert.Equal(Node, again.Node);
        Assert.Equal(["t1", "t2"], again.RunningTasks);

        // The new contact gets the reports of the tasks that kept running.
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        gate.Open();
        var reports = new[] { successor.Expect<ReportSuccess>(), successor.Expect<ReportSuccess>() };
        Assert.Equal([new ReportSuccess("t1", "\"one\""), new ReportSuccess("t2", "\"two\"")], reports.OrderBy(r => r.TaskId));
    }

    [Fact]
    public async Task A_task_that_ends_while_the_agent_has_no_contact_is_named_at_registration_and_reported_to_the_next_contact()
    {
        var gate = new Gate();
        var returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (agent, scheduler, contact) = Registered(Hub(o => o.Handle("long", async c =>
        {
            await gate.Pass(c.CancellationToken);
            returned.TrySetResult();
            return c.Payload;
        }), slots: 1));
        contact.Send(agent, Start("t1", "long", "\"done\""));
        gate.Arrived(1);
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        gate.Open();
        await returned.Task.WaitAsync(Wait);
        // Ended without a contact: later registrations (at least 50 ms apart) still name it, until a contact takes its report.
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);

        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        Assert.Equal(new ReportSuccess("t1", "\"done\""), successor.Expect<ReportSuccess>());
        // The slot is free again for the new contact.
        successor.Send(agent, Start("t2", "echo", "\"next\""));
        Assert.Equal(new ReportSuccess("t2", "\"next\""), successor.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_report_sent_shortly_before_the_contact_is_found_gone_is_named_and_sent_again_to_the_next_contact()
    {
        var (agent, scheduler, contact) = Registered(Hub(slots: 1));
        contact.Send(agent, Start("t1", "echo", "\"done\""));
        Assert.Equal(new ReportSuccess("t1", "\"done\""), contact.Expect<ReportSuccess>());
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        // The contact's host died: whether it passed the report on is unknown.
        Sys.Stop(contact.Ref);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));

        Assert.Equal(new ReportSuccess("t1", "\"done\""), successor.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_report_the_contact_acknowledged_is_neither_named_nor_sent_again_when_the_contact_is_gone()
    {
        var (agent, scheduler, contact) = Registered(Hub(slots: 3));
        contact.Send(agent, Batch(Start("t1", "echo", "1"), Start("t2", "echo", "2"), Start("t3", "echo", "3")));
        contact.Take(3);
        contact.Send(agent, new ReportsAcknowledged(["t1", "t3"]));
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Equal(["t2"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));

        Assert.Equal(new ReportSuccess("t2", "2"), successor.Expect<ReportSuccess>());
        successor.ExpectNone(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_refused_report_is_not_sent_again_and_a_worker_with_nothing_unacknowledged_registers_naming_nothing()
    {
        var (agent, scheduler, contact) = Registered(Hub(slots: 1));
        contact.Send(agent, Start("t1", "echo", "1"));
        contact.Expect<ReportSuccess>();
        contact.Send(agent, new ReportRejected("t1", "task t1 is not running on node \"n\" (it is Cancelled)"));
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Null(scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        successor.ExpectNone(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_cancel_of_a_task_whose_end_is_unacknowledged_is_answered_by_that_end_alone()
    {
        var (agent, _, contact) = Registered(Hub(slots: 1));
        contact.Send(agent, Start("t1", "echo", "1"));
        contact.Expect<ReportSuccess>();

        // The report is on its way: a second answer (an acknowledged cancel) would only be refused.
        contact.Send(agent, new CancelRunningTask("t1"));
        contact.ExpectNone(TimeSpan.FromMilliseconds(200));

        // Once acknowledged, the agent knows nothing of t1: a cancel is acknowledged as for any task not running here.
        contact.Send(agent, new ReportsAcknowledged(["t1"]));
        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), contact.Expect<AcknowledgeCancel>());
    }

    [Fact]
    public async Task A_new_contact_can_cancel_a_task_the_agent_kept_running()
    {
        var (agent, scheduler, contact, tokenFired) = RunningGatedTask(slots: 1);
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        successor.Send(agent, new CancelRunningTask("t1"));
        await tokenFired.Task.WaitAsync(Wait);
        Assert.Equal(new AcknowledgeCancel("t1"), successor.Expect<AcknowledgeCancel>());
    }

    [Fact]
    public void A_batch_of_starts_runs_every_task_and_every_report_reaches_the_contact()
    {
        var (agent, _, contact) = Registered(Hub(slots: 8));
        var payloads = Enumerable.Range(1, 6).ToDictionary(i => $"t{i}", i => $"{{\"n\": {i}}}");
        contact.Send(agent, Batch([.. payloads.Select(p => Start(p.Key, "echo", p.Value))]));

        var reports = contact.Take(6).Select(Assert.IsType<ReportSuccess>).OrderBy(r => r.TaskId, StringComparer.Ordinal);
        Assert.Equal(payloads.Select(p => new ReportSuccess(p.Key, p.Value)), reports);
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_cancel_in_a_batch_stops_a_task_started_earlier_in_the_same_batch()
    {
        var tokenFired = new TaskCompletionSource();
        var (agent, _, contact) = Registered(Hub(o => o.Handle("long", async c =>
        {
            c.CancellationToken.Register(() => tokenFired.TrySetResult());
            await Task.Delay(Timeout.Infinite, c.CancellationToken);
            return c.Payload;
        })));
        contact.Send(agent, Batch(Start("t1", "long"), Start("t2", "echo", "2"), new CancelRunningTask("t1")));

        var reports = contact.Take(2);
        Assert.Contains(new AcknowledgeCancel("t1"), reports);
        Assert.Contains(new ReportSuccess("t2", "2"), reports);
        await tokenFired.Task.WaitAsync(Wait);
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Reports_of_tasks_that_end_while_the_agent_is_busy_reach_the_contact_as_one_batch()
    {
        var clock = new HoldingClock();
        var gate = new Gate();
        var (agent, _, contact) = Registered(Hub(o => o.Handle("wait", async c =>
        {
            await gate.Pass();
            return c.Payload;
        }), slots: 3), clock);
        contact.Send(agent, Batch(Start("t1", "wait", "1"), Start("t2", "wait", "2"), Start("t3", "wait", "3")));
        gate.Arrived(3);

        // The first end holds the agent before its report goes into the outbox; the other two ends queue up behind it.
        clock.HoldNextReading();
        gate.Open();
        clock.AwaitHolding();
        AwaitCondition(() => Queued(agent) >= 2, Wait, TimeSpan.FromMilliseconds(10));
        clock.Release();

        var batch = contact.Probe.ExpectMsg<MessageBatch>(Wait);
        Assert.Equal(["t1:1", "t2:2", "t3:3"],
            batch.Messages.Select(m => Assert.IsType<ReportSuccess>(m)).Select(r => $"{r.TaskId}:{r.Result}").Order(StringComparer.Ordinal));
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Refusals_of_the_starts_of_one_batch_leave_as_one_batch_in_their_order()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Batch(Start("t1", "resize"), Start("t2", "crop"), Start("t3", "resize")));

        var batch = contact.Probe.ExpectMsg<MessageBatch>(Wait);
        var refusals = batch.Messages.Select(m => Assert.IsType<ReportFailure>(m)).ToList();
        Assert.Equal(["t1", "t2", "t3"], refusals.Select(r => r.TaskId));
        Assert.Equal("worker node \"w1\" has no handler for task name \"crop\"; it handles: cpu, echo, fail, sleep", refusals[1].Error);
    }

    [Fact]
    public void A_batch_received_while_registering_has_its_starts_ignored_as_lone_starts_are() =>
        StartsBeforeRegistrationAreIgnored(Batch(Start("t1", "echo"), Start("t2", "sleep")));

    [Fact]
    public void A_batch_that_registers_the_agent_and_then_starts_a_task_runs_the_task()
    {
        var scheduler = CreateTestProbe();
        var agent = Sys.ActorOf(WorkerAgent.Props(Hub(), Node, scheduler.Ref));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        var contact = Probe("contact");
        // The registration in the batch must take effect for the start right behind it.
        contact.Send(agent, Batch(new WorkerRegistered(Node), Start("t1", "echo", "\"ran\"")));
        Assert.Equal(new ReportSuccess("t1", "\"ran\""), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public void A_message_of_a_batch_the_agent_does_not_know_is_unhandled_like_a_lone_one_and_the_rest_are_handled()
    {
        var (agent, _, contact) = Registered(Hub());
        var unhandled = CreateTestProbe();
        Sys.EventStream.Subscribe(unhandled.Ref, typeof(UnhandledMessage));
        var nested = Batch(Start("t9", "echo"));
        contact.Send(agent, Batch("hello", nested, Start("t1", "echo", "1")));

        Assert.Equal("hello", unhandled.ExpectMsg<UnhandledMessage>(Wait).Message);
        Assert.Same(nested, unhandled.ExpectMsg<UnhandledMessage>(Wait).Message);
        Assert.Equal(new ReportSuccess("t1", "1"), contact.Expect<ReportSuccess>());
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Reports_sent_again_to_a_new_contact_reach_it_as_one_batch()
    {
        var (agent, scheduler, contact) = Registered(Hub(slots: 3));
        contact.Send(agent, Batch(Start("t1", "echo", "1"), Start("t2", "echo", "2"), Start("t3", "echo", "3")));
        contact.Take(3);
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Equal(["t1", "t2", "t3"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks!.Order(StringComparer.Ordinal));
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));

        var batch = successor.Probe.ExpectMsg<MessageBatch>(Wait);
        Assert.Equal([new ReportSuccess("t1", "1"), new ReportSuccess("t2", "2"), new ReportSuccess("t3", "3")],
            batch.Messages.Select(m => Assert.IsType<ReportSuccess>(m)).OrderBy(r => r.TaskId, StringComparer.Ordinal));
    }

    [Fact]
    public void A_report_in_the_outbox_when_the_contact_changes_still_goes_to_the_old_contact_and_again_to_the_new_one()
    {
        var clock = new HoldingClock();
        var (agent, _, contact) = Registered(Hub(slots: 1), clock);

        // Hold the agent as it hands t1's report to the outbox, and have a new contact answer meanwhile.
        clock.HoldNextReading();
        contact.Send(agent, Start("t1", "echo", "\"done\""));
        clock.AwaitHolding();
        var successor = Probe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        AwaitCondition(() => Queued(agent) >= 1, Wait, TimeSpan.FromMilliseconds(10));
        clock.Release();

        Assert.Equal(new ReportSuccess("t1", "\"done\""), contact.Expect<ReportSuccess>());
        Assert.Equal(new ReportSuccess("t1", "\"done\""), successor.Expect<ReportSuccess>());
        contact.ExpectNone(TimeSpan.FromMilliseconds(100));
        successor.ExpectNone(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Stopping_the_agent_stops_its_handlers()
    {
        var (agent, _, contact, tokenFired) = RunningGatedTask();
        Sys.Stop(agent);
        await tokenFired.Task.WaitAsync(Wait);
    }

    [Fact]
    public void A_node_without_a_configured_name_is_named_after_the_machine()
    {
        // This test system has no remoting, so no port: a generated suffix keeps names of one machine apart.
        var unnamed = WorkerHub.Create(o => o.AddBuiltInHandlers());
        var name = unnamed.ResolveNodeName(Sys);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}-[0-9a-f]{{8}}$", name);
        Assert.Equal(Node, Hub().ResolveNodeName(Sys));
    }
}
