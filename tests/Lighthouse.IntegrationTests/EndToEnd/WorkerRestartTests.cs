using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>A worker stopped with SIGTERM and started again under its name rejoins the cluster and gets work again.</summary>
public sealed class WorkerRestartTests
{
    [Fact]
    public async Task A_worker_restarted_under_its_name_rejoins_and_runs_tasks_again()
    {
        await using var cluster = await EndToEndCluster.StartAsync(new EndToEndCluster.Worker("w1"));
        var client = cluster.Client;
        var before = await cluster.FinishedAsync(await client.SubmitAsync("echo", "\"before\"", "alice"));
        Assert.Equal((TaskState.Succeeded, "w1"), (before.State, before.Node));

        var first = cluster.Workers["w1"];
        first.Signal(ManagedProcess.SigTerm);
        Assert.Equal(0, await first.WaitForExitAsync(EndToEndCluster.Limit));
        await cluster.NodeAsync("w1", n => n is null, "gone after SIGTERM");
        // While it is away, a task waits for a worker.
        var waiting = await client.SubmitAsync("echo", "\"while away\"", "alice");
        Assert.Equal((TaskState.Queued, "no worker node is registered"), await Read(waiting));

        var second = await cluster.StartWorkerAsync(new EndToEndCluster.Worker("w1"));
        Assert.NotEqual(first.Id, second.Id);

        var queued = await cluster.FinishedAsync(waiting);
        var after = await cluster.FinishedAsync(await client.SubmitAsync("echo", "\"after\"", "alice"));
        Assert.Equal((TaskState.Succeeded, "w1", "\"while away\"", 1), (queued.State, queued.Node, queued.Result, queued.Attempts));
        Assert.Equal((TaskState.Succeeded, "w1", "\"after\""), (after.State, after.Node, after.Result));
        var node = Assert.Single((await client.GetNodesAsync()).Nodes);
        Assert.Equal(("w1", WorkerNodeState.Reachable), (node.Node, node.State));

        async Task<(TaskState, string?)> Read(string id)
        {
            var info = await client.GetAsync(id);
            return (info.State, info.PendingReason);
        }
    }
}
