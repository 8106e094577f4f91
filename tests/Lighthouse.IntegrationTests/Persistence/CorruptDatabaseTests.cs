using Lighthouse.IntegrationTests.Fixtures;

namespace Lighthouse.IntegrationTests.Persistence;

/// <summary>lighthouse serve on a damaged SQLite file: one clear line, exit 1, and the file byte for byte as it was.</summary>
public sealed class CorruptDatabaseTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lighthouse-it-corrupt-" + Guid.NewGuid().ToString("N")[..8]);

    private string Database => Path.Combine(_dataDir, "lighthouse.db");

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_stops_the_host_with_a_clear_error_and_stays_as_it_was()
    {
        Directory.CreateDirectory(_dataDir);
        var garbage = new byte[64 * 1024];
        new Random(5).NextBytes(garbage);
        await File.WriteAllBytesAsync(Database, garbage);

        var line = await RefusedAsync();

        Assert.Equal($"lighthouse serve: the SQLite database {Database} is not an SQLite database (65536 bytes without the SQLite header): " +
                     $"it was left untouched for you to inspect or restore; move it away (Lighthouse then starts with an empty database at {Database}) " +
                     "or point lighthouse.persistence.connection-string or --data-dir elsewhere", line);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(Database));
    }

    [Fact]
    public async Task A_truncated_journal_stops_the_host_with_a_clear_error_and_stays_as_it_was()
    {
        // A real journal: a host accepts tasks, then stops normally.
        await using (var cluster = new LocalCluster())
        {
            var host = await cluster.StartHostAsync(arguments: ["--data-dir", _dataDir]);
            var client = await cluster.ConnectAsync(host);
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => client.SubmitAsync("echo", $"{{\"padding\":\"{new string('x', 500)}\",\"n\":{i}}}", "alice")));
            host.Signal(ManagedProcess.SigTerm);
            Assert.Equal(0, await host.WaitForExitAsync(Limit));
        }
        // Everything into the main file (the database is in WAL mode), so that cutting the file cuts the journal.
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            db.Open();
            using var checkpoint = db.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            checkpoint.ExecuteNonQuery();
        }
        var whole = await File.ReadAllBytesAsync(Database);
        Assert.True(whole.Length > 100_000, $"the journal is only {whole.Length} bytes");
        var truncated = whole[..(whole.Length / 2)];
        await File.WriteAllBytesAsync(Database, truncated);

        var line = await RefusedAsync();

        Assert.StartsWith($"lighthouse serve: the SQLite database {Database} is damaged (", line);
        Assert.Contains("it was left untouched for you to inspect or restore", line);
        Assert.Equal(truncated, await File.ReadAllBytesAsync(Database));
    }

    /// <summary>Starts a host on the data directory, expects exit 1, and returns its one stderr line from lighthouse serve.</summary>
    private async Task<string> RefusedAsync()
    {
        await using var host = HostProcess.Launch(["serve", "--port", "0", "--http-port", "0", "--no-local-worker", "--data-dir", _dataDir]);
        Assert.Equal(1, await host.WaitForExitAsync(Limit));
        Assert.DoesNotContain(host.Log.Stdout, l => l.StartsWith("lighthouse up at", StringComparison.Ordinal));
        return Assert.Single(host.Log.Stderr, l => l.StartsWith("lighthouse serve:", StringComparison.Ordinal));
    }
}
