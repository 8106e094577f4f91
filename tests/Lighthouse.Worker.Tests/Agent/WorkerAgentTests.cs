using System.Text.Json.Nodes;
using Akka.Actor;
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
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

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
    private (IActorRef Agent, TestProbe Scheduler, TestProbe Contact, TaskCompletionSource TokenFired) RunningGatedTask(int slots = 2)
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

    private (IActorRef Agent, TestProbe Scheduler, TestProbe Contact) Registered(WorkerHub hub)
    {
        var scheduler = CreateTestProbe("scheduler");
        var agent = Sys.ActorOf(WorkerAgent.Props(hub, Node, scheduler.Ref));
        scheduler.ExpectMsg<RegisterWorker>(Wait);
        var contact = CreateTestProbe("contact");
        contact.Send(agent, new WorkerRegistered(Node));
        return (agent, scheduler, contact);
    }

    /// <summary>The next report of type <typeparamref name="T"/>, skipping progress reports (returned in <paramref name="progress"/>).</summary>
    private static T Next<T>(TestProbe probe, List<ReportProgress>? progress = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"no {typeof(T).Name} within {Wait}");
            var message = probe.ReceiveOne(left);
            switch (message)
            {
                case T wanted:
                    return wanted;
                case ReportProgress report:
                    progress?.Add(report);
                    break;
                case null:
                    break;
                default:
                    Assert.Fail($"expected {typeof(T).Name}, got {message}");
                    break;
            }
        }
    }

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
    public void A_start_before_registration_is_refused_to_its_sender()
    {
        var scheduler = CreateTestProbe();
        var agent = Sys.ActorOf(WorkerAgent.Props(Hub(), Node, scheduler.Ref));
        var stranger = CreateTestProbe();
        stranger.Send(agent, Start("t1", "echo"));
        var refused = stranger.ExpectMsg<ReportFailure>(Wait);
        Assert.Equal("worker node \"w1\" is not registered with a scheduler, so it refused task t1 (echo)", refused.Error);
    }

    [Theory]
    [InlineData("\"EXIT\"")]
    [InlineData("  {\"z\": 1, \"a\": [true, null, 1.50]}  ")]
    public void Echo_succeeds_with_the_exact_payload_and_the_worker_keeps_serving(string payload)
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "echo", payload));
        Assert.Equal(new ReportSuccess("t1", payload), contact.ExpectMsg<ReportSuccess>(Wait));

        contact.Send(agent, Start("t2", "echo", "2"));
        Assert.Equal(new ReportSuccess("t2", "2"), contact.ExpectMsg<ReportSuccess>(Wait));
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
            progress.Add(contact.ExpectMsg<ReportProgress>(Wait));
        gate.Open();
        Assert.Equal(new ReportSuccess("t1", "{}"), Next<ReportSuccess>(contact, progress));

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
        var refused = contact.ExpectMsg<ReportFailure>(Wait);
        Assert.Equal("t3", refused.TaskId);
        Assert.Contains("all 2 slots are busy (t1, t2)", refused.Error);

        gate.Open();
        var done = new[] { contact.ExpectMsg<ReportSuccess>(Wait), contact.ExpectMsg<ReportSuccess>(Wait) };
        Assert.Equal(["t1:1", "t2:2"], done.Select(d => $"{d.TaskId}:{d.Result}").Order());

        contact.Send(agent, Start("t4", "echo", "4"));
        Assert.Equal(new ReportSuccess("t4", "4"), contact.ExpectMsg<ReportSuccess>(Wait));
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
        contact.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        gate.Open();
        Assert.Equal("t1", contact.ExpectMsg<ReportSuccess>(Wait).TaskId);
        contact.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Cancel_fires_the_handlers_token_and_is_acknowledged()
    {
        var (agent, _, contact, tokenFired) = RunningGatedTask();

        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), contact.ExpectMsg<AcknowledgeCancel>(Wait));
        await tokenFired.Task.WaitAsync(Wait);
        contact.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Cancel_of_the_built_in_sleep_stops_it()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "sleep", "{\"ms\": 600000}"));
        Assert.Equal(0, contact.ExpectMsg<ReportProgress>(Wait).Percent);
        contact.Send(agent, new CancelRunningTask("t1"));
        Assert.Equal(new AcknowledgeCancel("t1"), Next<AcknowledgeCancel>(contact));
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
        Assert.Equal(new AcknowledgeCancel("t1"), contact.ExpectMsg<AcknowledgeCancel>(Wait));

        contact.Send(agent, Start("t2", "echo", "2"));
        Assert.Equal(new ReportSuccess("t2", "2"), contact.ExpectMsg<ReportSuccess>(Wait));

        // When the abandoned handler finally returns, nothing more is reported about t1.
        gate.Open();
        contact.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Cancel_of_a_task_not_running_here_is_acknowledged()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, new CancelRunningTask("t9"));
        Assert.Equal(new AcknowledgeCancel("t9"), contact.ExpectMsg<AcknowledgeCancel>(Wait));
    }

    [Fact]
    public void Fail_reports_the_failure_with_its_message()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "fail", "{\"message\": \"out of coffee\"}"));
        Assert.Equal(new ReportFailure("t1", "out of coffee"), contact.ExpectMsg<ReportFailure>(Wait));
    }

    [Fact]
    public void A_crashing_handler_fails_its_task_with_the_exception_and_the_worker_keeps_serving()
    {
        var (agent, _, contact) = Registered(Hub(o => o.Handle("crash", c => Task.FromResult<JsonNode?>(c.Payload.GetProperty("missing").GetInt32()))));
        contact.Send(agent, Start("t1", "crash"));
        var failure = contact.ExpectMsg<ReportFailure>(Wait);
        Assert.StartsWith("KeyNotFoundException: ", failure.Error);

        contact.Send(agent, Start("t2", "echo", "true"));
        Assert.Equal(new ReportSuccess("t2", "true"), contact.ExpectMsg<ReportSuccess>(Wait));
    }

    [Fact]
    public void An_unknown_task_name_fails_naming_it_and_the_names_handled()
    {
        var (agent, _, contact) = Registered(Hub());
        contact.Send(agent, Start("t1", "resize"));
        Assert.Equal(new ReportFailure("t1", "worker node \"w1\" has no handler for task name \"resize\"; it handles: cpu, echo, fail, sleep"),
            contact.ExpectMsg<ReportFailure>(Wait));
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
            contact.ExpectMsg<ReportFailure>(Wait));
        await tokenFired.Task.WaitAsync(Wait);

        contact.Send(agent, Start("t2", "echo", "[]"));
        Assert.Equal(new ReportSuccess("t2", "[]"), contact.ExpectMsg<ReportSuccess>(Wait));
    }

    [Fact]
    public void A_result_that_is_not_json_fails_the_task_saying_so()
    {
        var (agent, _, contact) = Registered(Hub(o => o.HandleJsonText("text", _ => Task.FromResult("EXIT"))));
        contact.Send(agent, Start("t1", "text"));
        var failure = contact.ExpectMsg<ReportFailure>(Wait);
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
        var successor = CreateTestProbe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        gate.Open();
        var reports = new[] { successor.ExpectMsg<ReportSuccess>(Wait), successor.ExpectMsg<ReportSuccess>(Wait) };
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

        var successor = CreateTestProbe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        Assert.Equal(new ReportSuccess("t1", "\"done\""), successor.ExpectMsg<ReportSuccess>(Wait));
        // The slot is free again for the new contact.
        successor.Send(agent, Start("t2", "echo", "\"next\""));
        Assert.Equal(new ReportSuccess("t2", "\"next\""), successor.ExpectMsg<ReportSuccess>(Wait));
    }

    [Fact]
    public void A_report_sent_shortly_before_the_contact_is_found_gone_is_named_and_sent_again_to_the_next_contact()
    {
        var (agent, scheduler, contact) = Registered(Hub(slots: 1));
        contact.Send(agent, Start("t1", "echo", "\"done\""));
        Assert.Equal(new ReportSuccess("t1", "\"done\""), contact.ExpectMsg<ReportSuccess>(Wait));
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        // The contact's host died: whether it passed the report on is unknown.
        Sys.Stop(contact.Ref);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = CreateTestProbe("successor");
        successor.Send(agent, new WorkerRegistered(Node));

        Assert.Equal(new ReportSuccess("t1", "\"done\""), successor.ExpectMsg<ReportSuccess>(Wait));
    }

    [Fact]
    public async Task A_new_contact_can_cancel_a_task_the_agent_kept_running()
    {
        var (agent, scheduler, contact, tokenFired) = RunningGatedTask(slots: 1);
        scheduler.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as RegisterWorker);

        Sys.Stop(contact.Ref);
        Assert.Equal(["t1"], scheduler.ExpectMsg<RegisterWorker>(Wait).RunningTasks);
        var successor = CreateTestProbe("successor");
        successor.Send(agent, new WorkerRegistered(Node));
        successor.Send(agent, new CancelRunningTask("t1"));
        await tokenFired.Task.WaitAsync(Wait);
        Assert.Equal(new AcknowledgeCancel("t1"), successor.ExpectMsg<AcknowledgeCancel>(Wait));
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
