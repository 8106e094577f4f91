using Lighthouse.Client;
using Lighthouse.Protocol;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>Worker "low" accepts priorities 0 to 4 and worker "high" 5 to 9, shared by the tests of one class.</summary>
public sealed class LowAndHighWorkers : IAsyncLifetime
{
    public EndToEndCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await EndToEndCluster.StartAsync(
        new EndToEndCluster.Worker("low", 2, "--priority-range", "0:4"),
        new EndToEndCluster.Worker("high", 2, "--priority-range", "5:9"));

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>Cancelling a running task reaches its handler; priority ranges route tasks; a task no worker handles waits and says why.</summary>
public sealed class CancelAndRoutingTests(LowAndHighWorkers workers) : IClassFixture<LowAndHighWorkers>
{
    private EndToEndCluster Cluster => workers.Cluster;

    [Fact]
    public async Task Cancelling_a_running_sleep_fires_its_token_and_it_ends_cancelled_long_before_its_sleep_would()
    {
        var client = Cluster.Client;
        const int sleepMs = 120_000;
        var id = await client.SubmitAsync("sleep", $"{{\"ms\": {sleepMs}}}", "alice", priority: 2);
        var running = await Cluster.TaskAsync(id, t => t.State == TaskState.Running, "running");
        Assert.Equal("low", running.Node);

        var answer = await client.CancelAsync(id);
        Assert.Equal((CancelOutcome.Pending, "low"), (answer.Outcome, answer.Node));
        var done = await Cluster.FinishedAsync(id);

        // "cancelled on request" is the worker's acknowledgement: its handler stopped on the token. A handler that ignored
        // the token would have run on and ended as "cancelled on request; the worker had already finished it".
        Assert.Equal((TaskState.Cancelled, "cancelled on request", null), (done.State, done.Error, done.Result));
        Assert.True(done.FinishedAt - done.StartedAt < TimeSpan.FromMilliseconds(sleepMs / 2), $"ran {done.FinishedAt - done.StartedAt} of its {sleepMs} ms");
        // Its slot is free again and the worker keeps serving.
        await Cluster.NodeAsync("low", n => n is { FreeSlots: 2 }, "with both slots free");
        var next = await Cluster.FinishedAsync(await client.SubmitAsync("echo", "\"after the cancel\"", "alice", priority: 2));
        Assert.Equal((TaskState.Succeeded, "low", "\"after the cancel\""), (next.State, next.Node, next.Result));
    }

    [Fact]
    public async Task Priority_ranges_route_each_task_to_the_worker_that_accepts_its_priority()
    {
        var client = Cluster.Client;
        var submitted = new List<(int Priority, string Id)>();
        foreach (var user in new[] { "alice", "bob" })
            for (var priority = 0; priority <= 9; priority++)
                submitted.Add((priority, await client.SubmitAsync("echo", $"{{\"priority\": {priority}}}", user, priority)));

        var done = await Task.WhenAll(submitted.Select(s => Cluster.FinishedAsync(s.Id)));

        for (var i = 0; i < submitted.Count; i++)
        {
            var expected = submitted[i].Priority <= 4 ? "low" : "high";
            Assert.Equal((TaskState.Succeeded, submitted[i].Priority, expected), (done[i].State, done[i].Priority, done[i].Node));
        }
    }

    [Fact]
    public async Task A_task_no_worker_handles_stays_queued_with_a_pending_reason_naming_it()
    {
        var client = Cluster.Client;
        var id = await client.SubmitAsync("no-such-task", "{}", "alice");
        // Tasks submitted after it run; it still waits, and says why.
        var later = await Cluster.FinishedAsync(await client.SubmitAsync("echo", "1", "alice"));
        Assert.Equal(TaskState.Succeeded, later.State);
        var waiting = await client.GetAsync(id);

        Assert.Equal((TaskState.Queued, 0, null), (waiting.State, waiting.Attempts, waiting.Node));
        Assert.Equal("no reachable worker node handles task \"no-such-task\"", waiting.PendingReason);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelAsync(id)).Outcome);
    }

    [Fact]
    public async Task A_priority_outside_every_range_stays_queued_with_a_pending_reason_naming_the_priority()
    {
        var client = Cluster.Client;
        var id = await client.SubmitAsync("echo", "2", "bob", priority: 12);
        var later = await Cluster.FinishedAsync(await client.SubmitAsync("echo", "3", "bob", priority: 7));
        Assert.Equal((TaskState.Succeeded, "high"), (later.State, later.Node));
        var waiting = await client.GetAsync(id);

        Assert.Equal((TaskState.Queued, "no reachable worker node that handles task \"echo\" accepts priority 12"), (waiting.State, waiting.PendingReason));

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelAsync(id)).Outcome);
    }
}
