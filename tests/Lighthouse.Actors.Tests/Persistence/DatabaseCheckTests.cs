using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>
/// The start-up check of the database: a damaged SQLite file is a clear error and is left byte for byte as it
/// was; an unreachable PostgreSQL server is a clear error within the connect timeout, naming it without its password.
/// </summary>
public sealed class DatabaseCheckTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string File => _directory.File("lighthouse.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_missing_database_is_created_empty_in_write_ahead_log_mode()
    {
        var file = Path.Combine(_directory.Path, "new", "lighthouse.db");
        await DatabaseCheck.VerifyAsync(SqlDurabilitySettings.Sqlite(file));

        using var db = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
        mode.CommandText = "SELECT COUNT(*) FROM sqlite_master";
        Assert.Equal(0L, mode.ExecuteScalar());
    }

    [Fact]
    public async Task The_journal_connection_commits_with_a_synced_log_as_the_durability_promise_needs()
    {
        var settings = SqlDurabilitySettings.Sqlite(Path.Combine(_directory.Path, "lighthouse.db"));
        await DatabaseCheck.VerifyAsync(settings);

        // The journal plugin opens its connections with this connection string: each commit is synced to the log
        // (synchronous FULL = 2), so an acknowledged submission survives a power loss, not only a killed process.
        using var db = new SqliteConnection(settings.ConnectionString);
        db.Open();
        using var pragma = db.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, pragma.ExecuteScalar());
    }

    [Fact]
    public async Task An_intact_database_passes()
    {
        WriteDatabase(rows: 50);
        await DatabaseCheck.VerifyAsync(SqlDurabilitySettings.Sqlite(File));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_untouched()
    {
        var garbage = new byte[10_000];
        new Random(7).NextBytes(garbage);
        await System.IO.File.WriteAllBytesAsync(File, garbage);

        var error = await Assert.ThrowsAsync<PersistenceStartupException>(() => DatabaseCheck.VerifyAsync(SqlDurabilitySettings.Sqlite(File)));

        Assert.Equal($"the SQLite database {File} is not an SQLite database (10000 bytes without the SQLite header): it was left untouched " +
                     $"for you to inspect or restore; move it away (Lighthouse then starts with an empty database at {File}) " +
                     "or point lighthouse.persistence.connection-string or --data-dir elsewhere", error.Message);
        Assert.Equal(garbage, await System.IO.File.ReadAllBytesAsync(File));
    }

    [Fact]
    public async Task A_truncated_database_is_refused_and_left_untouched()
    {
        WriteDatabase(rows: 2_000);
        var whole = await System.IO.File.ReadAllBytesAsync(File);
        var truncated = whole[..(whole.Length / 2)];
        await System.IO.File.WriteAllBytesAsync(File, truncated);

        var error = await Assert.ThrowsAsync<PersistenceStartupException>(() => DatabaseCheck.VerifyAsync(SqlDurabilitySettings.Sqlite(File)));

        Assert.StartsWith($"the SQLite database {File} is damaged (", error.Message);
        Assert.Contains("it was left untouched", error.Message);
        Assert.Equal(truncated, await System.IO.File.ReadAllBytesAsync(File));
        Assert.False(System.IO.File.Exists(File + "-journal"));
    }

    [Fact]
    public async Task A_database_with_damaged_pages_is_refused_and_left_untouched()
    {
        WriteDatabase(rows: 2_000);
        var bytes = await System.IO.File.ReadAllBytesAsync(File);
        // Overwrite the middle of the file (b-tree pages past the header) with noise.
        new Random(3).NextBytes(bytes.AsSpan(bytes.Length / 3, 8_192));
        await System.IO.File.WriteAllBytesAsync(File, bytes);

        var error = await Assert.ThrowsAsync<PersistenceStartupException>(() => DatabaseCheck.VerifyAsync(SqlDurabilitySettings.Sqlite(File)));

        Assert.Contains("is damaged", error.Message);
        Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(File));
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_is_a_clear_error_within_the_timeout_without_the_password()
    {
        // A loopback port nobody listens on: the connection is refused at once.
        var port = FreePort();
        var settings = SqlDurabilitySettings.PostgreSql($"Host=127.0.0.1;Port={port};Database=lighthouse;Username=sched;Password=s3cret")
            with { ConnectTimeout = TimeSpan.FromSeconds(3) };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PersistenceStartupException>(() => DatabaseCheck.VerifyAsync(settings));

        Assert.StartsWith($"cannot reach the PostgreSQL database sched@127.0.0.1:{port}/lighthouse: ", error.Message);
        Assert.Contains("lighthouse.persistence.connect-timeout bounds the wait", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    private void WriteDatabase(int rows)
    {
        using (var db = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE journal (id INTEGER PRIMARY KEY, payload BLOB); CREATE INDEX journal_payload ON journal(payload);";
            command.ExecuteNonQuery();
            using var transaction = db.BeginTransaction();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO journal (payload) VALUES ($p)";
            var parameter = command.Parameters.Add("$p", SqliteType.Blob);
            var random = new Random(11);
            for (var i = 0; i < rows; i++)
            {
                var payload = new byte[200];
                random.NextBytes(payload);
                parameter.Value = payload;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        SqliteConnection.ClearAllPools();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
