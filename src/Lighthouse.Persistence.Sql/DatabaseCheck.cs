using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lighthouse.Persistence.Sql;

/// <summary>
/// Checks, before the scheduler starts, that its database can be used, so a bad one is a clear start-up
/// error rather than a journal that retries in the background forever: a PostgreSQL server must answer
/// within the connect timeout; an existing SQLite file must be an intact SQLite database. A damaged file
/// is only read, never repaired or replaced: it is the operator's to inspect or restore.
/// </summary>
public static class DatabaseCheck
{
    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>Throws <see cref="PersistenceStartupException"/> naming the database and the problem; nothing for in-memory mode.</summary>
    public static async Task VerifyAsync(SqlDurabilitySettings settings, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Provider)
        {
            case PersistenceProvider.Sqlite:
                VerifySqlite(settings);
                break;
            case PersistenceProvider.PostgreSql:
                await VerifyPostgreSqlAsync(settings, cancellation).ConfigureAwait(false);
                break;
        }
    }

    private static void VerifySqlite(SqlDurabilitySettings settings)
    {
        var file = settings.SqliteFile!;
        var directory = Path.GetDirectoryName(file)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PersistenceStartupException($"cannot create the data directory {directory} for the {settings.Describe()}: {e.Message}", e);
        }
        if (Directory.Exists(file))
            throw new PersistenceStartupException($"the {settings.Describe()} is a directory, not a file");
        if (!File.Exists(file))
        {
            CreateSqlite(file);
            return;
        }

        var length = new FileInfo(file).Length;
        if (length == 0) return; // SQLite reads an empty file as an empty database
        var header = new byte[SqliteHeader.Length];
        int read;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
        {
            throw new PersistenceStartupException(
                $"the {settings.Describe()} is not an SQLite database ({length.ToString(CultureInfo.InvariantCulture)} bytes without the SQLite header): " +
                Untouched(file));
        }

        // Read-write, never create: a read-only open would refuse the hot journal a killed host leaves behind,
        // which SQLite rolls back as its normal crash recovery. quick_check only reads.
        var connection = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString;
        string verdict;
        try
        {
            using var db = new SqliteConnection(connection);
            db.Open();
            using var check = db.CreateCommand();
            check.CommandText = "PRAGMA quick_check(5)";
            using var rows = check.ExecuteReader();
            var problems = new List<string>();
            while (rows.Read()) problems.Add(rows.GetString(0));
            verdict = problems is ["ok"] ? "ok" : string.Join("; ", problems);
        }
        catch (SqliteException e)
        {
            verdict = e.Message;
        }
        if (verdict != "ok")
            throw new PersistenceStartupException($"the {settings.Describe()} is damaged ({verdict}): {Untouched(file)}");
    }

    /// <summary>
    /// Creates the empty database in write-ahead-log mode (the journal creates its tables on first start).
    /// A commit is then one sequential, synced append to the log instead of a rollback journal written,
    /// synced and deleted around every write: the journal's batches are durable at a multiple of the rate.
    /// </summary>
    private static void CreateSqlite(string file)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString;
        using var db = new SqliteConnection(connection);
        db.Open();
        using var wal = db.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL";
        wal.ExecuteNonQuery();
    }

    private static string Untouched(string file) =>
        $"it was left untouched for you to inspect or restore; move it away (Lighthouse then starts with an empty database at {file}) " +
        "or point lighthouse.persistence.connection-string or --data-dir elsewhere";

    private static async Task VerifyPostgreSqlAsync(SqlDurabilitySettings settings, CancellationToken cancellation)
    {
        var timeout = settings.ConnectTimeout;
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            Pooling = false,
        };
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(timeout);
        try
        {
            await using var db = new NpgsqlConnection(builder.ConnectionString);
            await db.OpenAsync(bounded.Token).ConfigureAwait(false);
            await using var ping = new NpgsqlCommand("SELECT 1", db);
            await ping.ExecuteScalarAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            if (cancellation.IsCancellationRequested) throw;
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : Describe(e);
            throw new PersistenceStartupException(
                $"cannot reach the {settings.Describe()}: {why} (lighthouse.persistence.connection-string; lighthouse.persistence.connect-timeout bounds the wait)", e);
        }
    }

    /// <summary>The exception's message with its causes, which say what actually failed (refused, timed out, authentication, …).</summary>
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (!parts.Contains(x.Message)) parts.Add(x.Message);
        }
        return string.Join(": ", parts);
    }
}
