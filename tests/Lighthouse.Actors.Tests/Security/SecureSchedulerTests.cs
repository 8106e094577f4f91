using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Lighthouse.Client;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Lighthouse.Security;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>
/// A scheduler on an ActorSystem with TLS credentials, spoken to by hostile and honest callers: only sessions, only what
/// each role may do (docs/authorization.md names these tests). In-process: the messages are the ones a peer could send
/// over the network (every type here has a wire codec), with whatever sender it likes.
/// </summary>
public sealed class SecureSchedulerTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(RemoteTls.Bootstrap(ConfigurationFactory.ParseString("akka.loglevel = WARNING"), Ours.Credentials(LighthouseRole.Host, "h1")), "secure", output)
{
    private static readonly TestAuthority Ours = TestAuthority.Shared;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TlsCredentials Alice = Ours.Credentials(LighthouseRole.Client, "ci", "alice");
    private static readonly TlsCredentials Admin = Ours.Credentials(LighthouseRole.Admin, "ops");
    private static readonly TlsCredentials W1 = Ours.Credentials(LighthouseRole.Worker, "w1");

    private IActorRef StartScheduler() => Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default));

    private string Open(IActorRef scheduler, TlsCredentials credentials, TestProbe? from = null)
    {
        var probe = from ?? CreateTestProbe();
        scheduler.Tell(SessionProof.Create(credentials), probe.Ref);
        return probe.ExpectMsg<SessionOpened>(Wait).Token;
    }

    private object Ask(IActorRef scheduler, object message, TestProbe? from = null)
    {
        var probe = from ?? CreateTestProbe();
        scheduler.Tell(message, probe.Ref);
        return probe.ExpectMsg<object>(Wait);
    }

    private static RegisterWorker Registration(string node) => new(node, new Dictionary<string, double>(), ["echo"], PriorityRange.All, 1);

    private string SubmitForBob(IActorRef scheduler) =>
        Assert.IsType<SubmissionAccepted>(Ask(scheduler, new Authorized(Open(scheduler, Admin), new SubmitTask("echo", "{}", "bob")))).TaskId;

    [Fact]
    public void An_unwrapped_client_request_is_refused()
    {
        var scheduler = StartScheduler();

        var refused = Assert.IsType<NotAuthorized>(Ask(scheduler, new SubmitTask("echo", "{}", "alice")));
        Assert.False(refused.SessionUnknown);
        Assert.StartsWith("permission denied", refused.Reason);
        var correlated = Assert.IsType<CorrelatedAnswer>(Ask(scheduler, new MessageBatch([new CorrelatedRequest(7, GetQueues.Instance)])));
        Assert.Equal(7, correlated.CorrelationId);
        Assert.IsType<NotAuthorized>(correlated.Answer);
    }

    [Fact]
    public void A_replayed_OpenSession_is_refused()
    {
        var scheduler = StartScheduler();
        var proof = SessionProof.Create(Alice);
        Assert.IsType<SessionOpened>(Ask(scheduler, proof));

        Assert.Contains("replay", Assert.IsType<SessionRefused>(Ask(scheduler, proof)).Reason);
    }

    [Fact]
    public void An_unknown_token_answers_SessionUnknown_correlated_so_the_sender_reopens()
    {
        var scheduler = StartScheduler();

        var answer = Assert.IsType<CorrelatedAnswer>(Ask(scheduler, new Authorized("made-up", new MessageBatch([new CorrelatedRequest(3, new ListTasks("alice"))]))));

        Assert.Equal(3, answer.CorrelationId);
        Assert.True(Assert.IsType<NotAuthorized>(answer.Answer).SessionUnknown);
    }

    [Fact]
    public void A_client_for_alice_submits_as_alice_and_is_refused_as_bob()
    {
        var scheduler = StartScheduler();
        var token = Open(scheduler, Alice);

        Assert.IsType<SubmissionAccepted>(Ask(scheduler, new Authorized(token, new SubmitTask("echo", "{}", "alice"))));
        var refused = Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, new SubmitTask("echo", "{}", "bob"))));
        Assert.StartsWith("permission denied", refused.Reason);
        Assert.Equal(1, Assert.IsType<QueuesView>(Ask(scheduler, new Authorized(Open(scheduler, Admin), GetQueues.Instance))).Queued);
    }

    [Fact]
    public void A_client_for_alice_cannot_read_watch_cancel_or_list_bobs_task_and_it_is_left_as_it_was()
    {
        var scheduler = StartScheduler();
        var bobs = SubmitForBob(scheduler);
        var token = Open(scheduler, Alice);

        foreach (var request in new object[] { new GetTaskStatus(bobs), new WatchTask(bobs), new CancelTask(bobs), new ListTasks("bob") })
            Assert.StartsWith("permission denied", Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, request))).Reason);

        var info = Assert.IsType<TaskInfo>(Ask(scheduler, new Authorized(Open(scheduler, Admin), new GetTaskStatus(bobs, Collect: false))));
        Assert.Equal(TaskState.Queued, info.State);
    }

    [Fact]
    public void A_client_cannot_read_the_monitor_views_and_an_admin_can()
    {
        var scheduler = StartScheduler();

        Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(Open(scheduler, Alice), GetNodes.Instance)));
        Assert.IsType<NodesView>(Ask(scheduler, new Authorized(Open(scheduler, Admin), GetNodes.Instance)));
    }

    [Fact]
    public void A_worker_certificate_for_w1_cannot_register_w2_nor_submit()
    {
        var scheduler = StartScheduler();
        var token = Open(scheduler, W1);

        Assert.StartsWith("permission denied", Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, Registration("w2")))).Reason);
        Assert.IsType<NotAuthorized>(Ask(scheduler, new Authorized(token, new SubmitTask("echo", "{}", "alice"))));
        Assert.Empty(Assert.IsType<NodesView>(Ask(scheduler, new Authorized(Open(scheduler, Admin), GetNodes.Instance))).Nodes);
    }

    [Fact]
    public void A_worker_runs_a_task_in_its_session_and_reports_without_it_or_in_another_are_refused()
    {
        var scheduler = StartScheduler();
        var agent = CreateTestProbe();
        var token = Open(scheduler, W1, agent);
        scheduler.Tell(new Authorized(token, Registration("w1")), agent.Ref);
        var registered = agent.ExpectMsg<Authorized>(Wait);
        Assert.Equal(token, registered.Token);
        Assert.IsType<WorkerRegistered>(registered.Message);
        var link = agent.LastSender;

        var taskId = SubmitForBob(scheduler);
        var started = agent.ExpectMsg<Authorized>(Wait);
        Assert.Equal(token, started.Token);
        Assert.Equal(taskId, Assert.IsType<StartTask>(started.Message).TaskId);

        // A stranger (another worker's session, or none) reporting the task's end is refused and changes nothing.
        var stranger = CreateTestProbe();
        var otherToken = Open(scheduler, Ours.Credentials(LighthouseRole.Worker, "w9"), stranger);
        link.Tell(new ReportSuccess(taskId, "\"forged\""), agent.Ref);
        Assert.IsType<NotAuthorized>(agent.ExpectMsg<NotAuthorized>(Wait));
        link.Tell(new Authorized(otherToken, new ReportSuccess(taskId, "\"forged\"")), stranger.Ref);
        Assert.IsType<NotAuthorized>(stranger.ExpectMsg<NotAuthorized>(Wait));
        var admin = Open(scheduler, Admin);
        Assert.Equal(TaskState.Running, Assert.IsType<TaskInfo>(Ask(scheduler, new Authorized(admin, new GetTaskStatus(taskId, Collect: false)))).State);

        link.Tell(new Authorized(token, new ReportSuccess(taskId, "\"done\"")), agent.Ref);
        AwaitAssert(() => Assert.Equal(TaskState.Succeeded,
            Assert.IsType<TaskInfo>(Ask(scheduler, new Authorized(admin, new GetTaskStatus(taskId, Collect: false)))).State), Wait);
    }

    [Fact]
    public async Task A_client_on_a_secure_system_opens_a_session_by_itself()
    {
        var scheduler = StartScheduler();
        // The test system's own credentials are a host's; the client actor uses them (host acts for every user).
        await using var client = LighthouseClient.Create(Sys, scheduler);
        var taskId = await client.SubmitAsync(new SubmitTask("echo", "{}", "bob"));
        Assert.Equal(TaskState.Queued, (await client.GetAsync(taskId)).State);
    }

    [Fact]
    public async Task A_permission_denied_answer_fails_the_call_with_LighthousePermissionDeniedException()
    {
        var denying = Sys.ActorOf(Props.Create(() => new Denying()));
        await using var client = LighthouseClient.Create(Sys, denying);

        var denied = await Assert.ThrowsAsync<LighthousePermissionDeniedException>(() => client.GetAsync("t-bob"));
        Assert.Equal("permission denied: task t-bob belongs to another user", denied.Message);
    }

    /// <summary>A scheduler stand-in that opens sessions and denies every request in them.</summary>
    private sealed class Denying : ReceiveActor
    {
        public Denying()
        {
            Receive<OpenSession>(_ => Sender.Tell(new SessionOpened("t", "host")));
            Receive<Authorized>(authorized =>
            {
                foreach (var item in authorized.Message is MessageBatch batch ? batch.Messages : [authorized.Message])
                    if (item is CorrelatedRequest request)
                        Sender.Tell(new CorrelatedAnswer(request.CorrelationId, new NotAuthorized("permission denied: task t-bob belongs to another user", false)));
            });
        }
    }

    [Fact]
    public async Task A_scheduler_that_forgot_the_session_answers_SessionUnknown_and_the_client_recovers_by_itself()
    {
        var first = StartScheduler();
        var second = StartScheduler();
        var route = Sys.ActorOf(Props.Create(() => new Switch(first)));
        await using var client = LighthouseClient.Create(Sys, route);
        Assert.Equal(TaskState.Queued, (await client.GetAsync(await client.SubmitAsync(new SubmitTask("echo", "{}", "bob")))).State);

        route.Tell(second); // a new scheduler instance, which knows no session
        var moved = await client.SubmitAsync(new SubmitTask("echo", "{}", "bob"));
        Assert.Equal(TaskState.Queued, (await client.GetAsync(moved)).State);
    }

    /// <summary>Stands in for the singleton proxy: forwards to the current scheduler, which a test replaces.</summary>
    private sealed class Switch : ReceiveActor
    {
        public Switch(IActorRef target)
        {
            Receive<IActorRef>(next => target = next);
            ReceiveAny(message => target.Forward(message));
        }
    }
}
