using Lighthouse.Protocol;

namespace Lighthouse.IntegrationTests.EndToEnd;

/// <summary><c>kill -9</c> of a worker process while it runs tasks: its tasks move to the other worker and each ends once.</summary>
public sealed class WorkerLossTests
{
    private const int SleepMs = 10_000;

    [Fact]
    public async Task Sleep_tasks_of_a_killed_worker_finish_on_the_other_worker_none_lost_none_completed_twice()
    {
        // w1 registers first, so the prioritized strategy fills its 3 slots and puts the rest on w2.
        await using var cluster = await EndToEndCluster.StartAsync(new EndToEndCluster.Worker("w1", Slots: 3), new EndToEndCluster.Worker("w2", Slots: 8));
        var client = cluster.Client;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await client.SubmitAsync("sleep", $"{{\"ms\": {SleepMs}}}", "alice"));
        var running = await Task.WhenAll(ids.Select(id => cluster.TaskAsync(id, t => t.State == TaskState.Running, "running")));
        var onVictim = running.Where(t => t.Node == "w1").Select(t => t.TaskId).ToHashSet();
        Assert.Equal((3, 2), (onVictim.Count, running.Count(t => t.Node == "w2")));
        // Killed in the middle of its tasks: they have started and are far from done.
        Assert.All(await Task.WhenAll(ids.Select(id => client.GetAsync(id))), t => Assert.True(t.State == TaskState.Running && t.Progress < 100, $"before the kill: {t}"));

        cluster.Workers["w1"].KillHard();

        var done = await Task.WhenAll(ids.Select(cluster.FinishedAsync));
        foreach (var task in done)
        {
            Assert.True(task.State == TaskState.Succeeded, $"{task.TaskId} ended {task.State}: {task.Error}\n{cluster.Logs()}");
            Assert.Equal(("w2", $"{{\"slept_ms\":{SleepMs}}}"), (task.Node, task.Result?.Replace(" ", "", StringComparison.Ordinal)));
            // A moved task was started again from the beginning on w2, its lost attempt counted.
            var moved = onVictim.Contains(task.TaskId);
            Assert.Equal(moved ? 2 : 1, task.Attempts);
            Assert.True(task.FinishedAt - task.StartedAt >= TimeSpan.FromMilliseconds(SleepMs), $"{task.TaskId} ran {task.FinishedAt - task.StartedAt} on its last attempt");
        }

        // Nothing lost, nothing queued twice, nothing completed twice: five tasks of alice, each finished once.
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await client.ListAsync("alice")).Select(t => t.TaskId).Order(StringComparer.Ordinal));
        var sleep = Assert.Single((await client.GetStatisticsAsync()).TaskNames, s => s.TaskName == "sleep");
        Assert.Equal((5, 5, 0, 0), (sleep.Finished, sleep.Succeeded, sleep.Failed, sleep.Cancelled));
        Assert.Null(await cluster.NodeAsync("w1", n => n is null, "removed after the kill"));
        Assert.Equal(0, (await client.GetQueuesAsync()).Queued);
    }
}
