using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary>
/// A worker process paused with SIGSTOP (a long GC pause, a frozen VM): past the downing timeout it is replaced (its
/// tasks run again elsewhere, each ending once) and, woken, rejoins by itself as a new member under the same name; a
/// short pause changes nothing (issue 13).
/// </summary>
public sealed class WorkerPauseTests(ITestOutputHelper output)
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int SleepMs = 4_000;

    // w1 registers first and the prioritized strategy fills it first; "paused" lets a task ask for w1 alone.
    private static readonly EndToEndCluster.Worker Paused = new("w1", 2, "--resources", "pausable");
    private static readonly EndToEndCluster.Worker Other = new("w2", 4);

    [Fact]
    public async Task A_worker_paused_past_the_downing_timeout_rejoins_by_itself_and_its_tasks_ran_elsewhere_exactly_once()
    {
        await using var cluster = await EndToEndCluster.StartAsync(Paused, Other);
        var client = cluster.Client;
        var w1 = cluster.Workers["w1"];
        var ids = new List<string>();
        for (var i = 0; i < 2; i++) ids.Add(await client.SubmitAsync("sleep", $"{{\"ms\": {SleepMs}}}", "alice"));
        Assert.All(await Task.WhenAll(ids.Select(id => cluster.TaskAsync(id, t => t.State == TaskState.Running, "running"))), t => Assert.Equal("w1", t.Node));

        w1.Signal(SigStop);
        try
        {
            // Downed and replaced: its tasks start again on w2.
            await Task.WhenAll(ids.Select(id => cluster.TaskAsync(id, t => t.Node == "w2", "moved to w2")));
        }
        finally
        {
            w1.Signal(SigCont);
        }

        var rejoin = await w1.WaitForLineAsync(line => line.Contains("was removed from the cluster", StringComparison.Ordinal), EndToEndCluster.Limit, "the rejoin line");
        output.WriteLine(rejoin.Text);
        Assert.False(w1.HasExited, cluster.Logs());
        await cluster.NodeAsync("w1", n => n is { State: WorkerNodeState.Reachable }, "registered again");

        // The moved tasks ended once each, on w2; the woken w1 reported nothing that counted.
        foreach (var task in await Task.WhenAll(ids.Select(cluster.FinishedAsync)))
        {
            Assert.True(task.State == TaskState.Succeeded, $"{task.TaskId} ended {task.State}: {task.Error}\n{cluster.Logs()}");
            Assert.Equal(("w2", 2), (task.Node, task.Attempts));
        }
        var sleep = Assert.Single((await client.GetStatisticsAsync()).TaskNames, s => s.TaskName == "sleep");
        Assert.Equal((2, 2, 0, 0), (sleep.Finished, sleep.Succeeded, sleep.Failed, sleep.Cancelled));

        // The new incarnation runs new tasks.
        var next = await client.SubmitAsync(new SubmitTask("echo", "\"back\"", "alice", Requirements: new Dictionary<string, double> { ["pausable"] = 0 }));
        var ran = await cluster.FinishedAsync(next);
        Assert.Equal((TaskState.Succeeded, "w1", "\"back\""), (ran.State, ran.Node, ran.Result));
        Assert.Single(w1.Log.Stderr, line => line.Contains("was removed from the cluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_pause_changes_nothing()
    {
        await using var cluster = await EndToEndCluster.StartAsync(Paused, Other);
        var client = cluster.Client;
        var w1 = cluster.Workers["w1"];
        var id = await client.SubmitAsync("sleep", "{\"ms\": 1500}", "alice");
        Assert.Equal("w1", (await cluster.TaskAsync(id, t => t.State == TaskState.Running, "running")).Node);

        w1.Signal(SigStop);
        await Task.Delay(300);
        w1.Signal(SigCont);

        var task = await cluster.FinishedAsync(id);
        Assert.Equal((TaskState.Succeeded, "w1", 1), (task.State, task.Node, task.Attempts));
        var next = await client.SubmitAsync(new SubmitTask("echo", "1", "alice", Requirements: new Dictionary<string, double> { ["pausable"] = 0 }));
        Assert.Equal("w1", (await cluster.FinishedAsync(next)).Node);
        Assert.DoesNotContain(w1.Log.Stderr, line => line.Contains("removed from the cluster", StringComparison.Ordinal));
        Assert.Equal(WorkerNodeState.Reachable, (await cluster.NodeAsync("w1", n => n is not null, "registered"))!.State);
    }
}
