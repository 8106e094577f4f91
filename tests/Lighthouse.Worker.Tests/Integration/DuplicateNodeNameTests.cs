using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Worker.Tests.Integration;

/// <summary>
/// Two worker processes' ActorSystems claiming one node name, over real Akka.Remote on loopback: the second is refused
/// once, cleanly, while the first is alive and reachable (no tug of war), and gets the name after the first has left.
/// </summary>
public sealed class DuplicateNodeNameTests : HostWithWorkerNodes
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private ActorSystem WorkerNode() => Nodes.Start(lighthouseDefaults: true);

    private static WorkerHub Hub() => WorkerHub.Create(o =>
    {
        o.NodeName = "w1";
        o.AddBuiltInHandlers();
        o.RegistrationRetryMin = TimeSpan.FromMilliseconds(100);
        o.RegistrationRetryMax = TimeSpan.FromMilliseconds(400);
    });

    private async Task<NodeView?> NodeW1() => (await Host.Scheduler.Ask<NodesView>(GetNodes.Instance, Wait)).Nodes.SingleOrDefault(n => n.Node == "w1");

    [Fact]
    public async Task A_second_worker_claiming_a_live_workers_name_is_refused_once_and_gets_it_after_the_first_leaves()
    {
        var first = WorkerNode();
        var firstAddress = Cluster.Get(first).SelfAddress;
        Hub().StartInCluster(first);
        var registered = (await Eventually.Until(NodeW1, n => n is not null, Wait, "the first worker's registration"))!.RegisteredAt;
        var hostWarnings = WorkerNodes.Warnings(Host.System);

        var second = WorkerNode();
        var secondWarnings = WorkerNodes.Warnings(second);
        Hub().StartInCluster(second);

        static string[] Refusals(List<string> log) => WorkerNodes.Containing(log, "is held by");
        await Eventually.Until(() => Task.FromResult(Refusals(secondWarnings)), r => r.Length > 0, Wait, "the second worker's refusal");
        // Retries every 100-400 ms for a while: the name does not move, and each side said so once.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var id = await TestHost.SubmitAsync(Host.Scheduler, "echo", "[1]");
        var done = await TestHost.AwaitTasksAsync(Host.Scheduler, "alice", t => t.Any(x => x.TaskId == id && x.State.IsFinished()), Wait);

        Assert.Equal(TaskState.Succeeded, done.Single(t => t.TaskId == id).State);
        Assert.Single(Refusals(secondWarnings));
        Assert.Contains($"node name \"w1\" is held by a live worker at {firstAddress}", Refusals(secondWarnings)[0]);
        Assert.Single(Refusals(hostWarnings));

        // The first worker leaves the cluster: the name is free, and the second one takes it.
        await CoordinatedShutdown.Get(first).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(Wait);
        var secondAddress = Cluster.Get(second).SelfAddress;
        await Eventually.Until(() => Host.Scheduler.Ask<NodesView>(GetNodes.Instance, Wait),
            v => v.Nodes.Any(n => n.Node == "w1" && n.RegisteredAt > registered), Wait, "the second worker's registration");
        var again = await TestHost.SubmitAsync(Host.Scheduler, "echo", "[2]");
        var tasks = await TestHost.AwaitTasksAsync(Host.Scheduler, "alice", t => t.Any(x => x.TaskId == again && x.State.IsFinished()), Wait);
        Assert.Equal(TaskState.Succeeded, tasks.Single(t => t.TaskId == again).State);
        Assert.NotEqual(firstAddress, secondAddress);
    }
}
