using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Persistence;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>
/// No split brain: three hosts on PostgreSQL, the one running the scheduler frozen with SIGSTOP long enough to be downed
/// and replaced, then woken with SIGCONT while tasks keep coming. The woken scheduler notices the pause before it
/// handles anything, and writes nothing after it woke: the journal's rows come from one writer, then from the next,
/// never interleaved, and the old writer's last row is older than the wake. The woken host, downed, does not exit: it
/// joins again as a standby and stays one.
/// </summary>
public sealed class PauseFenceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private PostgresServer? _postgres;
    private string? _configFile;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _configFile = Path.Combine(Path.GetTempPath(), $"lighthouse-it-fence-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(_configFile, $$"""
            lighthouse.persistence {
              provider = postgresql
              connection-string = "{{_postgres.ConnectionString()}}"
              recovery-grace = 5s
            }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_configFile is not null) File.Delete(_configFile);
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_scheduler_host_woken_after_it_was_replaced_writes_nothing()
    {
        await using var cluster = new LocalCluster();
        var first = await StartHostAsync(cluster);
        var second = await StartHostAsync(cluster, first.Address);
        var third = await StartHostAsync(cluster, first.Address);
        Assert.Equal(first.AkkaAddress, HostProcess.UpLinePattern().Match(third.UpLine!.Text).Groups["singleton"].Value);
        await cluster.StartWorkerAsync(second, "w1", slots: 4);
        var client = await cluster.ConnectAsync(second);
        await Eventually.Until(async () => (await client.GetNodesAsync()).Nodes.Count, n => n == 1, Limit, "the worker registered");

        // Tasks keep coming all along, each with a submission id of its own (resent until accepted).
        using var stop = new CancellationTokenSource();
        var accepted = new List<string>();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var submission = new SubmitTask("echo", $"{{\"n\":{i}}}", "alice", SubmissionId: $"fence-{i}");
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var id = await client.SubmitAsync(submission);
                        lock (accepted) accepted.Add(id);
                        break;
                    }
                    catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException)
                    {
                    }
                }
                await Task.Delay(20);
            }
        });
        await Eventually.Until(() => Task.FromResult(Count(accepted)), n => n >= 20, Limit, "tasks accepted before the pause");

        first.Signal(SigStop);
        // Long enough to be found unreachable, downed, removed, and replaced on another host.
        await second.WaitForLineAsync(line => line.Contains("the scheduler recovered from the PostgreSQL database", StringComparison.Ordinal), Limit, "the scheduler started again on another host");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var woke = DateTime.UtcNow;
        first.Signal(SigCont);

        await first.WaitForLineAsync(line => line.Contains("this process stood still for", StringComparison.Ordinal), Limit, "the woken scheduler noticing its pause");
        // Downed while paused, the host does not exit: a new incarnation joins again through the hosts it had seen (it
        // started the cluster and has no seeds of its own) and is up as a standby of the scheduler that replaced it.
        var rejoin = await first.WaitForLineAsync(line => line.Contains("was removed from the cluster", StringComparison.Ordinal), Limit, "the woken host's rejoin line");
        output.WriteLine(rejoin.Text);
        Assert.Contains("joining again as a standby through", rejoin.Text);
        Assert.Contains(second.AkkaAddress, rejoin.Text);
        Assert.DoesNotContain(first.AkkaAddress + ",", rejoin.Text);
        var upAgain = await first.WaitForLineAsync(line => HostProcess.UpLinePattern().IsMatch(line) && line != first.UpLine!.Text, Limit, "the woken host up again");
        var singleton = HostProcess.UpLinePattern().Match(upAgain.Text).Groups["singleton"].Value;
        Assert.Contains(singleton, new[] { second.AkkaAddress, third.AkkaAddress });
        Assert.False(first.HasExited, "the host downed while paused exited instead of rejoining");
        var atWake = Count(accepted);
        await Eventually.Until(() => Task.FromResult(Count(accepted)), n => n >= atWake + 20, Limit, "tasks accepted after the wake");
        await stop.CancelAsync();
        await load;

        var rows = await JournalAsync();
        var writers = rows.Select(r => r.Writer).Distinct().ToList();
        output.WriteLine($"{rows.Count} journal rows by {writers.Count} writers: " +
                         string.Join(", ", writers.Select(w => $"{w[..Math.Min(8, w.Length)]} {rows.Where(r => r.Writer == w).Min(r => r.Sequence)}–{rows.Where(r => r.Writer == w).Max(r => r.Sequence)}")));
        // One writer after the other: once a writer's rows end, that writer never writes again.
        var runs = rows.Select(r => r.Writer).Aggregate(new List<string>(), (list, w) => { if (list.Count == 0 || list[^1] != w) list.Add(w); return list; });
        Assert.Equal(runs.Distinct().Count(), runs.Count);
        // The first host's writer stopped before it woke.
        var old = rows[0].Writer;
        Assert.True(writers.Count >= 2, "the scheduler moved to another host");
        var lastOld = rows.Where(r => r.Writer == old).Max(r => r.Created);
        output.WriteLine($"the first host's last row at {lastOld:HH:mm:ss.fff}, woken at {woke:HH:mm:ss.fff}, the first row at {rows[0].Created:yyyy-MM-dd HH:mm:ss.fff}");
        // The journal's clock is this machine's: a first row from before the test started would mean the column was misread.
        Assert.InRange(rows[0].Created, woke - Limit - Limit, woke);
        Assert.True(lastOld < woke, $"the paused scheduler wrote at {lastOld:HH:mm:ss.fff}, after it woke at {woke:HH:mm:ss.fff}");
        Assert.DoesNotContain(first.Log.Stdout, line => line.Contains("the scheduler acts again after a pause", StringComparison.Ordinal));
        // Every task accepted is in the journal's successor, once.
        var tasks = await client.ListAsync("alice");
        Assert.Equal(Count(accepted), accepted.Distinct().Count());
        Assert.Subset(tasks.Select(t => t.TaskId).ToHashSet(), accepted.ToHashSet());
    }

    private static int Count(List<string> accepted)
    {
        lock (accepted) return accepted.Count;
    }

    private async Task<List<(long Sequence, string Writer, DateTime Created)>> JournalAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres!.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT sequence_number, writer_uuid, created FROM journal WHERE persistence_id = @id ORDER BY sequence_number", connection);
        command.Parameters.AddWithValue("id", DurabilitySettings.PersistenceId);
        var rows = new List<(long, string, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1), new DateTime(reader.GetInt64(2), DateTimeKind.Utc)));
        return rows;
    }

    private async Task<HostProcess> StartHostAsync(LocalCluster cluster, string? seed = null)
    {
        var port = FreePort.Next();
        var host = cluster.Track(HostProcess.Launch(
            ["serve", "--config", _configFile!, "--port", port.ToString(), "--http-port", FreePort.Next().ToString(), "--no-local-worker"],
            seed is null ? null : new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = seed }, port));
        await host.WaitUntilUpAsync();
        return host;
    }
}
