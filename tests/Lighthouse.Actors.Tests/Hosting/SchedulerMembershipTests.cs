using Akka.Actor;
using Akka.TestKit;
using Lighthouse.Hosting;
using Lighthouse.Protocol;
using Lighthouse.Scheduling;
using Xunit.Abstractions;

namespace Lighthouse.Actors.Tests.Hosting;

/// <summary>
/// A cluster member's change reaches the worker nodes whose agents live at its address (through their node actors). The scheduler runs in
/// the test's system; "remote" agents are probes in a second system on loopback, so their refs carry its address.
/// </summary>
public sealed class SchedulerMembershipTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(RemoteTestSystems.Remote, output: output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private (IActorRef Scheduler, ActorSystem Remote) Start()
    {
        var remote = ActorSystem.Create("remote-workers", RemoteTestSystems.Remote);
        return (Sys.ActorOf(SchedulerActor.Props(SchedulerSettings.Default), "scheduler"), remote);
    }

    /// <summary>Registers a probe agent in <paramref name="system"/>; from another system it registers over remoting, as a real worker does.</summary>
    private TestProbe Register(IActorRef scheduler, string node, ActorSystem? system = null)
    {
        var probe = system is null ? CreateTestProbe() : CreateTestProbe(system);
        var target = system is null
            ? scheduler
            : system.ActorSelection(new RootActorPath(RemoteTestSystems.AddressOf(Sys)) / scheduler.Path.Elements).ResolveOne(Wait).Result;
        target.Tell(RemoteTestSystems.Registration(node), probe.Ref);
        Assert.Equal(node, probe.ExpectMsg<WorkerRegistered>(Wait).Node);
        return probe;
    }

    private T Ask<T>(IActorRef scheduler, object message)
    {
        scheduler.Tell(message, TestActor);
        return ExpectMsg<T>(Wait);
    }

    private WorkerNodeState StateOf(IActorRef scheduler, string node) =>
        Ask<NodesView>(scheduler, GetNodes.Instance).Nodes.Single(n => n.Node == node).State;

    [Fact]
    public void An_unreachable_member_makes_its_nodes_unreachable_and_reachable_again_and_only_those()
    {
        var (scheduler, remote) = Start();
        try
        {
            Register(scheduler, "local");
            Register(scheduler, "far-1", remote);
            Register(scheduler, "far-2", remote);

            scheduler.Tell(new ClusterMemberUnreachable(RemoteTestSystems.AddressOf(remote)));
            // Each node's actor tells its own change: both are awaited, neither is assumed to come first.
            AwaitAssert(() => Assert.Equal((WorkerNodeState.Unreachable, WorkerNodeState.Unreachable), (StateOf(scheduler, "far-1"), StateOf(scheduler, "far-2"))), Wait);
            Assert.Equal(WorkerNodeState.Reachable, StateOf(scheduler, "local"));

            scheduler.Tell(new ClusterMemberReachable(RemoteTestSystems.AddressOf(remote)));
            AwaitAssert(() => Assert.Equal((WorkerNodeState.Reachable, WorkerNodeState.Reachable), (StateOf(scheduler, "far-1"), StateOf(scheduler, "far-2"))), Wait);
        }
        finally
        {
            Shutdown(remote);
        }
    }

    [Fact]
    public void An_unreachable_node_gets_no_new_task_and_gets_it_once_reachable_again()
    {
        var (scheduler, remote) = Start();
        try
        {
            var far = Register(scheduler, "far", remote);
            scheduler.Tell(new ClusterMemberUnreachable(RemoteTestSystems.AddressOf(remote)));
            AwaitAssert(() => Assert.Equal(WorkerNodeState.Unreachable, StateOf(scheduler, "far")), Wait);

            var id = Ask<SubmissionAccepted>(scheduler, new SubmitTask("echo", "{}", "alice")).TaskId;
            far.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            Assert.Equal(TaskState.Queued, Ask<TaskList>(scheduler, new ListTasks("alice")).Tasks.Single().State);

            scheduler.Tell(new ClusterMemberReachable(RemoteTestSystems.AddressOf(remote)));
            Assert.Equal(id, far.ExpectMsg<StartTask>(Wait).TaskId);
        }
        finally
        {
            Shutdown(remote);
        }
    }

    [Fact]
    public void A_removed_member_loses_its_nodes_and_their_running_tasks_start_again_elsewhere()
    {
        var (scheduler, remote) = Start();
        try
        {
            var far = Register(scheduler, "far", remote);
            var id = Ask<SubmissionAccepted>(scheduler, new SubmitTask("echo", "{}", "alice")).TaskId;
            Assert.Equal(1, far.ExpectMsg<StartTask>(Wait).Attempt);

            scheduler.Tell(new ClusterMemberRemoved(RemoteTestSystems.AddressOf(remote)));
            AwaitAssert(() => Assert.DoesNotContain(Ask<NodesView>(scheduler, GetNodes.Instance).Nodes, n => n.Node == "far"), Wait);
            var local = Register(scheduler, "local");

            var again = local.ExpectMsg<StartTask>(Wait);
            Assert.Equal((id, 2), (again.TaskId, again.Attempt));
        }
        finally
        {
            Shutdown(remote);
        }
    }

    [Fact]
    public void A_member_without_worker_nodes_changes_nothing()
    {
        var (scheduler, remote) = Start();
        try
        {
            Register(scheduler, "local");

            scheduler.Tell(new ClusterMemberUnreachable(RemoteTestSystems.AddressOf(remote)));
            scheduler.Tell(new ClusterMemberRemoved(RemoteTestSystems.AddressOf(remote)));

            var node = Ask<NodesView>(scheduler, GetNodes.Instance).Nodes.Single();
            Assert.Equal(("local", WorkerNodeState.Reachable), (node.Node, node.State));
        }
        finally
        {
            Shutdown(remote);
        }
    }
}
