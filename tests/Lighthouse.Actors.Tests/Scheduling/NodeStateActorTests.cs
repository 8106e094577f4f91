using Akka.Actor;
using Akka.TestKit;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Scheduling;

/// <summary>A node's actor alone: one probe plays its worker's agent, another the scheduler it runs under.</summary>
public sealed class NodeStateActorTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private (TestProbe Agent, TestProbe Parent, IActorRef Link) Start()
    {
        var agent = CreateTestProbe();
        var parent = CreateTestProbe();
        var link = parent.ChildActorOf(NodeStateActor.Props("n", agent.Ref));
        Assert.Equal("n", agent.ExpectMsg<WorkerRegistered>(Wait).Node);
        Assert.Equal(link, agent.LastSender);
        return (agent, parent, link);
    }

    [Fact]
    public void Reports_from_the_agent_pass_up_with_the_node_name_alone_or_batched()
    {
        var (agent, parent, link) = Start();

        link.Tell(new ReportSuccess("t1", "1"), agent.Ref);
        Assert.Equal(new NodeReport("n", new ReportSuccess("t1", "1")), parent.ExpectMsg<NodeReport>(Wait));

        link.Tell(new MessageBatch([new ReportFailure("t2", "boom"), new AcknowledgeCancel("t3")]), agent.Ref);
        Assert.Equal(new NodeReport("n", new ReportFailure("t2", "boom")), parent.ExpectMsg<NodeReport>(Wait));
        Assert.Equal(new NodeReport("n", new AcknowledgeCancel("t3")), parent.ExpectMsg<NodeReport>(Wait));
    }

    [Fact]
    public void A_report_from_a_stranger_is_refused_naming_why_and_not_passed_up()
    {
        var (_, parent, link) = Start();
        // Another member: a different actor system, so a different address than the agent's.
        var elsewhere = ActorSystem.Create("elsewhere", "akka.loglevel = WARNING");
        try
        {
            var stranger = CreateTestProbe(elsewhere);
            link.Tell(new ReportSuccess("t1", "1"), stranger.Ref);
            link.Tell(new MessageBatch([new ReportProgress("t2", 5)]), stranger.Ref);

            var refused = stranger.ExpectMsg<ReportRejected>(Wait);
            Assert.Equal("t1", refused.TaskId);
            Assert.Contains("taken only from its agent", refused.Reason);
            Assert.Equal("t2", stranger.ExpectMsg<ReportRejected>(Wait).TaskId);
            parent.ExpectNoMsg(Quiet);
        }
        finally
        {
            Shutdown(elsewhere);
        }
    }

    [Fact]
    public void Progress_of_one_task_within_one_drain_goes_up_once_and_never_after_its_end()
    {
        var (agent, parent, link) = Start();

        link.Tell(new MessageBatch([
            new ReportProgress("t1", 10), new ReportProgress("t2", 5), new ReportProgress("t1", 20),
            new ReportProgress("t3", 40), new ReportSuccess("t3", "3"), new ReportProgress("t1", 30),
        ]), agent.Ref);

        // t3's end takes its held progress up first; what is still held goes at the end of the drain, latest only.
        Assert.Equal(new ReportProgress("t3", 40), parent.ExpectMsg<NodeReport>(Wait).Report);
        Assert.Equal(new ReportSuccess("t3", "3"), parent.ExpectMsg<NodeReport>(Wait).Report);
        Assert.Equal(new ReportProgress("t1", 30), parent.ExpectMsg<NodeReport>(Wait).Report);
        Assert.Equal(new ReportProgress("t2", 5), parent.ExpectMsg<NodeReport>(Wait).Report);
        parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void The_agents_termination_is_reported_once_even_when_its_member_is_removed_too()
    {
        var (agent, parent, link) = Start();
        var address = agent.Ref.Path.Address;

        Sys.Stop(agent.Ref);
        Assert.Equal(new NodeLost("n", "its agent terminated"), parent.ExpectMsg<NodeLost>(Wait));

        link.Tell(new ClusterMemberRemoved(address), parent.Ref);
        parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Its_members_reachability_and_removal_are_told_up_and_other_members_change_nothing()
    {
        var (agent, parent, link) = Start();
        var address = agent.Ref.Path.Address;
        var other = new Address("akka.tcp", "lighthouse", "elsewhere", 4053);

        link.Tell(new ClusterMemberUnreachable(other), parent.Ref);
        link.Tell(new ClusterMemberUnreachable(address), parent.Ref);
        Assert.Equal(new NodeReachability("n", false), parent.ExpectMsg<NodeReachability>(Wait));
        link.Tell(new ClusterMemberReachable(address), parent.Ref);
        Assert.Equal(new NodeReachability("n", true), parent.ExpectMsg<NodeReachability>(Wait));
        link.Tell(new ClusterMemberRemoved(other), parent.Ref);
        link.Tell(new ClusterMemberRemoved(address), parent.Ref);
        Assert.Equal(new NodeLost("n", "its cluster member was removed"), parent.ExpectMsg<NodeLost>(Wait));
        parent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Starts_and_cancels_reach_the_agent_batched_per_drain_and_a_lone_one_alone()
    {
        var (agent, parent, link) = Start();
        var start = new StartTask("t1", "echo", "{}", "alice", 0, 1);

        link.Tell(new ToWorker(start), parent.Ref);
        Assert.Equal(start, agent.ExpectMsg<StartTask>(Wait));
        Assert.Equal(link, agent.LastSender);

        // Several in one drain (a batch is handled message by message, in one go) leave as one batch, in order.
        var second = new StartTask("t2", "echo", "{}", "bob", 0, 1);
        link.Tell(new MessageBatch([new ToWorker(second), new ToWorker(new CancelRunningTask("t1")), new ToWorker(new ReportRejected("t0", "unknown task"))]), parent.Ref);
        var batch = agent.ExpectMsg<MessageBatch>(Wait);
        Assert.Equal([second, new CancelRunningTask("t1"), new ReportRejected("t0", "unknown task")], batch.Messages);
        Assert.Equal(link, agent.LastSender);
    }

    [Fact]
    public void Acknowledgements_of_one_drain_reach_the_agent_as_one_message_and_only_from_its_scheduler()
    {
        var (agent, parent, link) = Start();

        link.Tell(new MessageBatch([new ToWorker(new ReportsAcknowledged(["t1"])), new ToWorker(new ReportsAcknowledged(["t2", "t3"]))]), parent.Ref);
        Assert.Equal(["t1", "t2", "t3"], agent.ExpectMsg<ReportsAcknowledged>(Wait).TaskIds);

        link.Tell(new ToWorker(new ReportsAcknowledged(["t4"])), TestActor);
        agent.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Starts_from_anyone_but_its_scheduler_do_not_reach_the_agent()
    {
        var (agent, parent, link) = Start();

        link.Tell(new ToWorker(new StartTask("t1", "echo", "{}", "alice", 0, 1)), TestActor);
        // The protocol message itself (it has a wire codec, so a peer could send it) is not taken even with the scheduler's path.
        link.Tell(new StartTask("t2", "echo", "{}", "alice", 0, 1), parent.Ref);

        agent.ExpectNoMsg(Quiet);
    }
}
