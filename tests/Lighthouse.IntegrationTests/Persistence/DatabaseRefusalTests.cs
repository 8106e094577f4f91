using System.Diagnostics;
using Lighthouse.IntegrationTests.Fixtures;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>lighthouse serve refuses to start on a database it cannot use, quickly and saying which.</summary>
public sealed class DatabaseRefusalTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lighthouse-it-refusal-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_is_named_without_its_password_within_the_connect_timeout()
    {
        Directory.CreateDirectory(_dataDir);
        var config = Path.Combine(_dataDir, "pg.conf");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(config, $$"""
            lighthouse.persistence {
              provider = postgresql
              connection-string = "Host=127.0.0.1;Port={{port}};Database=lighthouse;Username=sched;Password=s3cret"
              connect-timeout = 3s
            }
            """);
        var clock = Stopwatch.StartNew();

        await using var host = HostProcess.Launch(["serve", "--config", config, "--port", "0", "--http-port", "0", "--no-local-worker"]);

        Assert.Equal(1, await host.WaitForExitAsync(Limit));
        var line = Assert.Single(host.Log.Stderr, l => l.StartsWith("lighthouse serve:", StringComparison.Ordinal));
        Assert.StartsWith($"lighthouse serve: cannot reach the PostgreSQL database sched@127.0.0.1:{port}/lighthouse: ", line);
        Assert.DoesNotContain(host.Log.Lines, l => l.Text.Contains("s3cret", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < Limit, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_second_host_on_the_same_sqlite_file_is_refused_while_the_first_runs()
    {
        await using var cluster = new LocalCluster();
        await cluster.StartHostAsync(arguments: ["--data-dir", _dataDir]);

        await using var second = HostProcess.Launch(["serve", "--port", "0", "--http-port", "0", "--no-local-worker", "--data-dir", _dataDir]);

        Assert.Equal(1, await second.WaitForExitAsync(Limit));
        var database = Path.Combine(_dataDir, "lighthouse.db");
        Assert.Equal($"lighthouse serve: the SQLite database {database} is in use by another Lighthouse host on this machine (it holds {database}.lock): " +
                     "give this host its own --data-dir, or use PostgreSQL for several hosts",
            Assert.Single(second.Log.Stderr, l => l.StartsWith("lighthouse serve:", StringComparison.Ordinal)));
    }
}
