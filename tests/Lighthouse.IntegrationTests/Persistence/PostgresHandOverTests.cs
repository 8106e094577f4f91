using System.Diagnostics;
using Lighthouse.IntegrationTests.Fixtures;
using Lighthouse.Protocol;
using Lighthouse.Tests.Shared;
using Xunit.Abstractions;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>
/// Two hosts sharing a PostgreSQL journal and one worker: the host running the scheduler singleton is killed with
/// SIGKILL while tasks are queued and running; the other host takes the singleton over, recovers the same state, and
/// every accepted task completes.
/// </summary>
public sealed class PostgresHandOverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private PostgresServer? _postgres;
    private string? _configFile;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _configFile = Path.Combine(Path.GetTempPath(), $"lighthouse-it-pg-{Guid.NewGuid():N}.conf");
        // Re-attach quickly: a host that died does not come back, so its nodes' tasks need not wait long.
        await File.WriteAllTextAsync(_configFile, $$"""
            lighthouse.persistence {
              provider = postgresql
              connection-string = "{{_postgres.ConnectionString()}}"
              recovery-grace = 5s
            }
            # Two hosts: the lease decides which side stays (docs/durability.md "How many scheduler hosts").
            lighthouse.host.downing = lease-majority
            """);
    }

    public async Task DisposeAsync()
    {
        if (_configFile is not null)
        {
            File.Delete(_configFile);
            File.Delete(_configFile + ".worker");
        }
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_singletons_host_loses_no_accepted_task()
    {
        await using var cluster = new LocalCluster();
        // The survivor must have the lower address: with two scheduler members, the split-brain resolver keeps the
        // side of the lowest address when one of them disappears without leaving.
        var ports = new[] { FreePort.Next(), FreePort.Next() }.Order().ToArray();
        var first = await StartHostAsync(cluster, ports[1]);
        var second = await StartHostAsync(cluster, ports[0], new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = first.Address });
        Assert.Equal(first.AkkaAddress, HostProcess.UpLinePattern().Match(second.UpLine!.Text).Groups["singleton"].Value);
        await cluster.StartWorkerAsync(second, "w1", slots: 4, ["--config", await WorkerConfigAsync()]);
        var client = await cluster.ConnectAsync(second);
        await Eventually.Until(async () => (await client.GetNodesAsync()).Nodes.Count, n => n == 1, Limit, "the worker registered");

        // 40 tasks of 300 ms on 4 slots: about 3 s of work; kill the singleton's host while most still wait.
        var ids = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.SubmitAsync("sleep", "{\"ms\":300}", "alice")));
        await Eventually.Until(async () => await client.ListAsync("alice"), tasks => tasks.Count(t => t.State == TaskState.Succeeded) >= 4, Limit, "the first tasks done");
        var before = await client.ListAsync("alice");
        var doneBefore = before.Count(t => t.State == TaskState.Succeeded);
        Assert.Contains(before, t => t.State == TaskState.Running);
        Assert.Contains(before, t => t.State == TaskState.Queued);

        first.KillHard();
        var killed = Stopwatch.StartNew();

        // Scheduling resumes on the second host: a task finishes there that had not finished before the kill.
        await Eventually.Until(async () =>
        {
            try { return (await client.ListAsync("alice")).Count(t => t.State == TaskState.Succeeded); }
            catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException) { return -1; }
        }, done => done > doneBefore, Limit, "a task finished after the kill");
        var resumed = killed.Elapsed;

        var all = await Eventually.Until(async () =>
        {
            try { return await client.ListAsync("alice"); }
            catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException) { return []; }
        }, tasks => tasks.Count == 40 && tasks.All(t => t.State == TaskState.Succeeded), Limit, "all 40 tasks succeeded");
        var finished = killed.Elapsed;

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(t => t.TaskId).Order(StringComparer.Ordinal));
        // Tasks that were running when the scheduler died were re-attached or run again: never more than two starts.
        Assert.All(all, t => Assert.InRange(t.Attempts, 1, 2));
        Assert.Contains(second.Log.Stdout, line => line.Contains("the scheduler recovered from the PostgreSQL database", StringComparison.Ordinal));
        Assert.Contains(second.Log.Stdout, line => line.Contains("worker node w1 is back after the scheduler's recovery", StringComparison.Ordinal));
        output.WriteLine($"kill -9 of the singleton's host -> first task finished on the new scheduler: {resumed.TotalMilliseconds:0} ms; " +
                         $"all 40 done after {finished.TotalMilliseconds:0} ms; {all.Count(t => t.Attempts == 2)} tasks ran twice (at-least-once)");
    }

    [Fact]
    public async Task Two_hosts_survive_the_loss_of_the_lower_addressed_one_through_the_downing_lease()
    {
        await using var cluster = new LocalCluster();
        // The host killed is the oldest (it runs the scheduler) and has the lower address, which keep-majority would keep:
        // the survivor would down itself. The worker has the lowest address of all, so it is the cluster's leader, whose
        // split-brain resolver decides: it has no database and takes the lease through the surviving host.
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() }.Order().ToArray();
        var first = await StartHostAsync(cluster, ports[1]);
        var second = await StartHostAsync(cluster, ports[2], new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = first.Address });
        Assert.Equal(first.AkkaAddress, HostProcess.UpLinePattern().Match(second.UpLine!.Text).Groups["singleton"].Value);
        var workerConfig = await WorkerConfigAsync();
        var worker = await cluster.StartWorkerAsync(second, "w1", slots: 4, ["--config", workerConfig, "--port", ports[0].ToString()]);
        var client = await cluster.ConnectAsync(second);
        await Eventually.Until(async () => (await client.GetNodesAsync()).Nodes.Count, n => n == 1, Limit, "the worker registered");
        var before = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SubmitAsync("sleep", "{\"ms\":200}", "alice")));
        await Eventually.Until(async () => await client.ListAsync("alice"), tasks => tasks.Count(t => t.State == TaskState.Succeeded) >= 1, Limit, "the first tasks done");

        // The worker is Up and leads (it registers with the scheduler while still joining, before that).
        await worker.WaitForLineAsync(line => line.Contains("is now the leader responsible for taking SBR decisions", StringComparison.Ordinal), Limit, "the worker leading");

        first.KillHard();
        var killed = Stopwatch.StartNew();

        // The survivor takes the scheduler over and accepts and runs new tasks.
        var after = await Eventually.Until(async () =>
        {
            try { return await client.SubmitAsync(new SubmitTask("echo", "{\"after\":\"kill\"}", "alice", SubmissionId: "after-the-kill")); }
            catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException) { return null; }
        }, id => id is not null, Limit, "a submission accepted after the kill");
        var accepted = killed.Elapsed;
        var all = await Eventually.Until(async () =>
        {
            try { return await client.ListAsync("alice"); }
            catch (Exception e) when (e is Client.LighthouseUnavailableException or TimeoutException) { return []; }
        }, tasks => tasks.Count == 9 && tasks.All(t => t.State == TaskState.Succeeded), Limit, "every task succeeded");

        Assert.Equal(before.Append(after!).Order(StringComparer.Ordinal), all.Select(t => t.TaskId).Order(StringComparer.Ordinal));
        Assert.False(second.HasExited, "the surviving host downed itself");
        // "SBR acquired lease for decision", or "SBR has acquired lease" when it still held it from an earlier decision.
        Assert.Contains(worker.Log.Stdout, line => line.Contains("acquired lease for decision", StringComparison.Ordinal));
        Assert.Contains(second.Log.Stdout, line => line.Contains("the scheduler recovered from the PostgreSQL database", StringComparison.Ordinal));
        output.WriteLine($"kill -9 of the lower-addressed host of two -> a new submission accepted after {accepted.TotalMilliseconds:0} ms");
    }

    /// <summary>The workers' config file: the hosts on PostgreSQL down by lease-majority, and workers must use the same rule.</summary>
    private async Task<string> WorkerConfigAsync()
    {
        var path = _configFile + ".worker";
        await File.WriteAllTextAsync(path, "akka.cluster.split-brain-resolver.active-strategy = lease-majority\n");
        return path;
    }

    /// <summary>A host on the shared journal at cluster port <paramref name="port"/>, with no local worker.</summary>
    private async Task<HostProcess> StartHostAsync(LocalCluster cluster, int port, IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = cluster.Track(HostProcess.Launch(
            ["serve", "--config", _configFile!, "--port", port.ToString(), "--http-port", FreePort.Next().ToString(), "--no-local-worker"],
            environment, port));
        await host.WaitUntilUpAsync();
        return host;
    }
}
