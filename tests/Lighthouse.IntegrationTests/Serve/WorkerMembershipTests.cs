using Lighthouse.Client;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Serve;

/// <summary>A host and <c>lighthouse-worker</c> processes: workers join and register, the host follows their health through cluster membership.</summary>
public sealed class WorkerMembershipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static Task<NodeView> RegisteredAsync(LighthouseClient client, string node) =>
        Eventually.Until(
            async () => (await client.GetNodesAsync()).Nodes.SingleOrDefault(n => n.Node == node),
            n => n is not null, Limit, $"node {node} registered").ContinueWith(t => t.Result!, TaskScheduler.Default);

    [Fact]
    public async Task A_worker_process_joins_registers_and_runs_tasks()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        await cluster.StartWorkerAsync(host, "w1", slots: 3);
        var client = await cluster.ConnectAsync(host);

        var node = await RegisteredAsync(client, "w1");
        Assert.Equal((3, WorkerNodeState.Reachable), (node.Slots, node.State));
        Assert.Equal(["cpu", "echo", "fail", "sleep"], node.TaskNames);

        var id = await client.SubmitAsync("echo", "[1, \"two\"]", "alice");
        var done = await client.WaitAsync(id).WaitAsync(Limit);
        Assert.Equal((TaskState.Succeeded, "[1, \"two\"]", "w1"), (done.State, done.Result, done.Node));
    }

    [Fact]
    public async Task A_1MiB_payload_round_trips_through_a_worker_process_with_the_example_frame_size()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        // The worker's frame size comes from the example worker configuration (its built-in defaults keep Akka's 128 kB).
        var config = Path.Combine(Path.GetTempPath(), $"lighthouse-worker-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, "akka.remote.dot-netty.tcp.maximum-frame-size = 4MiB\n");
        try
        {
            await cluster.StartWorkerAsync(host, "big", arguments: ["--config", config]);
            var client = await cluster.ConnectAsync(host);
            await RegisteredAsync(client, "big");
            var payload = "{\"blob\": \"" + new string('y', 1024 * 1024 - 64) + "\"}";

            var id = await client.SubmitAsync("echo", payload, "alice");
            var done = await client.WaitAsync(id).WaitAsync(Limit);

            Assert.Equal((TaskState.Succeeded, "big"), (done.State, done.Node));
            Assert.Equal(payload, done.Result);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Tasks_waiting_with_no_worker_are_explained_and_warned_about_once()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        var client = await cluster.ConnectAsync(host);

        var first = await client.SubmitAsync("echo", "1", "alice");
        await client.SubmitAsync("echo", "2", "bob");

        var warning = await host.WaitForLineAsync(line => line.Contains("no workers: ", StringComparison.Ordinal), Limit, "the no-workers warning");
        Assert.Matches(@"no workers: [12] tasks? waiting", warning.Text);
        Assert.Equal((TaskState.Queued, "no worker node is registered"), ((await client.GetAsync(first)).State, (await client.GetAsync(first)).PendingReason));

        // A worker arrives and runs them; when it is gone and tasks wait again, that is a new episode and a new warning.
        var worker = await cluster.StartWorkerAsync(host, "w1");
        Assert.Equal(TaskState.Succeeded, (await client.WaitAsync(first).WaitAsync(Limit)).State);
        worker.Signal(ManagedProcess.SigTerm);
        Assert.Equal(0, await worker.WaitForExitAsync(Limit));
        await Eventually.Until(async () => (await client.GetNodesAsync()).Nodes.Count, n => n == 0, Limit, "the worker's node removed");
        await client.SubmitAsync("echo", "3", "carol");

        await Eventually.Until(() => Task.FromResult(host.Log.Stdout.Count(l => l.Contains("no workers: ", StringComparison.Ordinal))), n => n == 2, Limit, "a second warning");
        Assert.Contains(host.Log.Stdout, line => line.Contains("no workers: 1 task waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_worker_is_unreachable_within_seconds_then_removed_and_its_task_requeued()
    {
        await using var cluster = new LocalCluster();
        var host = await cluster.StartHostAsync();
        var doomed = await cluster.StartWorkerAsync(host, "doomed", slots: 1);
        var client = await cluster.ConnectAsync(host);
        await RegisteredAsync(client, "doomed");
        var id = await client.SubmitAsync("sleep", "{\"ms\": 600000}", "alice");
        await Eventually.Until(() => client.GetAsync(id), t => t.State == TaskState.Running, Limit, "the sleep task running");

        doomed.KillHard();
        var killed = DateTimeOffset.UtcNow;
        // The scheduler's own log line, not a poll of the node list: with fast downing the node can go from unreachable
        // to removed between two polls, and the test is about the order of the two, not about catching the first.
        await host.WaitForLineAsync(line => line.Contains("node doomed is unreachable", StringComparison.Ordinal), Limit, "the killed worker's node unreachable");
        var markedUnreachable = DateTimeOffset.UtcNow;
        await Eventually.Until(async () => (await client.GetNodesAsync()).Nodes.Count, n => n == 0, Limit, "the killed worker's node removed");
        var removed = DateTimeOffset.UtcNow;

        var task = await client.GetAsync(id);
        Assert.Equal((TaskState.Queued, 1), (task.State, task.Attempts));
        output.WriteLine($"kill -9 -> node unreachable: {(markedUnreachable - killed).TotalMilliseconds:0} ms; -> node removed, task re-queued: {(removed - killed).TotalMilliseconds:0} ms");
    }
}
