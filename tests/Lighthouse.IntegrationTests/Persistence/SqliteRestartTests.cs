using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>lighthouse serve on its default SQLite database, killed with SIGKILL and started again on the same data.</summary>
public sealed class SqliteRestartTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lighthouse-it-sqlite-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task A_thousand_tasks_accepted_before_a_kill_9_all_complete_once_after_the_restart()
    {
        await using var cluster = new LocalCluster();
        var first = await cluster.StartHostAsync(arguments: ["--data-dir", _dataDir]);
        var client = await cluster.ConnectAsync(first);
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, 1_000).Chunk(100))
            ids.AddRange(await Task.WhenAll(batch.Select(i => client.SubmitAsync("echo", $"{{\"n\":{i}}}", $"user-{i % 4}"))));
        Assert.Equal(1_000, ids.Distinct().Count());

        // Every one of them was acknowledged, so every one is in the journal: kill the host without warning.
        first.KillHard();
        await first.WaitForExitAsync(Limit);

        var second = await cluster.StartHostAsync(arguments: ["--data-dir", _dataDir]);
        var after = await cluster.ConnectAsync(second);
        var queued = await after.GetQueuesAsync();
        Assert.Equal((1_000, 0), (queued.Queued, queued.Running));
        await cluster.StartWorkerAsync(second, "w1", slots: 8);

        var done = await Eventually.Until(
            async () => (await Task.WhenAll(Enumerable.Range(0, 4).Select(u => after.ListAsync($"user-{u}")))).SelectMany(list => list).ToList(),
            tasks => tasks.Count == 1_000 && tasks.All(t => t.State == TaskState.Succeeded),
            Limit, "all 1,000 tasks succeeded");
        Assert.Equal(ids.Order(StringComparer.Ordinal), done.Select(t => t.TaskId).Order(StringComparer.Ordinal));
        // Each ran once: one start each, and its own payload came back as its result.
        Assert.All(done, t => Assert.Equal(1, t.Attempts));
        var results = done.ToDictionary(t => t.TaskId, t => t.Result);
        Assert.Equal(ids.Select((id, i) => $"{{\"n\":{i}}}"), ids.Select(id => results[id]));
        output.WriteLine($"restart recovered {queued.Queued} queued tasks; all completed once");
    }
}
