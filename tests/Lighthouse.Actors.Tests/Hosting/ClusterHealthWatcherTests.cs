using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Remote;
using Akka.Remote.Transport;
using Akka.TestKit;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Hosting;

/// <summary>
/// The scheduler singleton in a real two-member cluster on loopback, its health watcher driven by real membership
/// events: the transport's throttler cuts and restores the link to the worker member (as a network partition would),
/// the failure detector notices, and the worker's node follows: unreachable, reachable again, removed when it leaves.
/// </summary>
public sealed class ClusterHealthWatcherTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(RemoteTestSystems.Cluster($"\"{LighthouseNames.SchedulerRole}\"", extra: Throttled), output: output)
{
    /// <summary>The throttler adapter on the transport, so a test can black-hole the link between two members.</summary>
    private const string Throttled = "akka.remote.dot-netty.tcp.applied-adapters = [trttl]";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private IActorRef StartHost()
    {
        var scheduler = LighthouseScheduler.Start(Sys, SchedulerSettings.Default);
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, Wait);
        return scheduler;
    }

    private ActorSystem StartWorkerMember()
    {
        // A cluster only joins systems of one name: the TestKit names its system "test".
        var worker = ActorSystem.Create(Sys.Name, RemoteTestSystems.Cluster($"\"{LighthouseNames.WorkerRole}\"", extra: Throttled));
        Cluster.Get(worker).Join(Cluster.Get(Sys).SelfAddress);
        AwaitCondition(() => Cluster.Get(Sys).State.Members.Count(m => m.Status == MemberStatus.Up) == 2, Wait);
        return worker;
    }

    /// <summary>A probe agent in <paramref name="worker"/> registers through a singleton proxy there, as a worker hub does.</summary>
    private TestProbe RegisterAgent(ActorSystem worker, string node)
    {
        var proxy = worker.ActorOf(ClusterSingletonProxy.Props(
            LighthouseNames.SchedulerManagerPath,
            ClusterSingletonProxySettings.Create(worker).WithRole(LighthouseNames.SchedulerRole).WithSingletonName(LighthouseNames.SchedulerSingleton)));
        var agent = CreateTestProbe(worker);
        proxy.Tell(RemoteTestSystems.Registration(node), agent.Ref);
        Assert.Equal(node, agent.ExpectMsg<WorkerRegistered>(Wait).Node);
        return agent;
    }

    private NodeView? Node(IActorRef scheduler, string node)
    {
        scheduler.Tell(GetNodes.Instance, TestActor);
        return ExpectMsg<NodesView>(Wait).Nodes.SingleOrDefault(n => n.Node == node);
    }

    private Task<bool> Link(ActorSystem worker, ThrottleMode mode) =>
        ((IRemoteActorRefProvider)((ExtendedActorSystem)Sys).Provider).Transport.ManagementCommand(new SetThrottle(Cluster.Get(worker).SelfAddress, ThrottleTransportAdapter.Direction.Both, mode));

    [Fact]
    public async Task A_cut_off_worker_member_is_unreachable_then_reachable_again_and_lost_when_it_leaves()
    {
        var scheduler = StartHost();
        var worker = StartWorkerMember();
        try
        {
            RegisterAgent(worker, "far");
            Assert.Equal(WorkerNodeState.Reachable, Node(scheduler, "far")!.State);

            Assert.True(await Link(worker, Blackhole.Instance));
            AwaitAssert(() => Assert.Equal(WorkerNodeState.Unreachable, Node(scheduler, "far")!.State), Wait, TimeSpan.FromMilliseconds(100));

            Assert.True(await Link(worker, Unthrottled.Instance));
            AwaitAssert(() => Assert.Equal(WorkerNodeState.Reachable, Node(scheduler, "far")!.State), Wait, TimeSpan.FromMilliseconds(100));

            await Cluster.Get(worker).LeaveAsync().WaitAsync(Wait);
            AwaitAssert(() => Assert.Null(Node(scheduler, "far")), Wait, TimeSpan.FromMilliseconds(100));
        }
        finally
        {
            Shutdown(worker);
        }
    }

    [Fact]
    public void Tasks_waiting_without_any_worker_node_are_warned_about_once()
    {
        var scheduler = StartHost();

        EventFilter.Warning(start: "no workers: 2 tasks waiting").ExpectOne(Wait, () =>
        {
            scheduler.Tell(new SubmitTask("echo", "{}", "alice"), TestActor);
            scheduler.Tell(new SubmitTask("echo", "{}", "bob"), TestActor);
            ExpectMsg<SubmissionAccepted>(Wait);
            ExpectMsg<SubmissionAccepted>(Wait);
        });
        // The same episode: however long the tasks wait, no second warning.
        EventFilter.Warning(start: "no workers").Expect(0, ClusterHealthWatcher.CheckInterval * 3, () => { });
    }

    [Fact]
    public void A_worker_that_registers_and_goes_between_two_checks_ends_the_episode()
    {
        var scheduler = StartHost();
        EventFilter.Warning(start: "no workers: 1 task waiting").ExpectOne(Wait, () =>
        {
            scheduler.Tell(new SubmitTask("echo", "{}", "alice"), TestActor);
            ExpectMsg<SubmissionAccepted>(Wait);
        });

        // Registered and gone again well within one check interval: no check ever counts it.
        EventFilter.Warning(start: "no workers: ").ExpectOne(Wait, () =>
        {
            var agent = CreateTestProbe();
            scheduler.Tell(RemoteTestSystems.Registration("brief"), agent.Ref);
            agent.ExpectMsg<WorkerRegistered>(Wait);
            Sys.Stop(agent.Ref);
        });
    }
}
