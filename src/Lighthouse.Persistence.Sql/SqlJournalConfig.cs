using Lighthouse.Persistence;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Lighthouse.Persistence.Sql;

/// <summary>
/// The Akka configuration of the SQL journal: the journal serializer for the scheduler's events and snapshots, and,
/// for a database, the Akka.Persistence.Sql journal and snapshot store pointed at it (tables created on first start).
/// A host adds it under its own configuration.
/// </summary>
public static class SqlJournalConfig
{
    /// <summary>The journal plugin the scheduler uses with a database.</summary>
    public const string Journal = "akka.persistence.journal.sql";

    /// <summary>The snapshot store plugin the scheduler uses with a database.</summary>
    public const string SnapshotStore = "akka.persistence.snapshot-store.sql";

    /// <summary>The configuration for <paramref name="settings"/>: the serializer, plus the SQL plugins for a database.</summary>
    public static Config For(SqlDurabilitySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsDurable) return PersistenceConfig.Serialization;
        var provider = settings.Provider switch
        {
            // Microsoft.Data.Sqlite; linq2db's "SQLite" would look for System.Data.SQLite.
            PersistenceProvider.Sqlite => "SQLite.MS",
            // Generic: linq2db detects the server's version and picks its dialect.
            PersistenceProvider.PostgreSql => "PostgreSQL",
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "unknown persistence provider"),
        };
        var connection = Quote(settings.Provider == PersistenceProvider.PostgreSql ? WithTransactionsBounded(settings.ConnectionString!) : settings.ConnectionString!);
        // The journal plugin's write settings are its defaults, on purpose; none of them holds a write back:
        // - Akka sends a persistent actor's writes one WriteMessages at a time, gathering what is persisted while one
        //   is under way into the next; the scheduler persists one row per mailbox drain (EventBatch). So a write is
        //   one transaction of one row when the scheduler is quiet, and of one row per drain since the last write
        //   when it is busy.
        // - batch-size (100 rows) and buffer-size (5,000 queued writes) only bound what the plugin merges into one
        //   transaction and how many writes may wait; it merges what is queued at the moment it is free, without a
        //   timer, and the one outstanding WriteMessages keeps the queue at one entry. parallelism (3 concurrent
        //   transactions) never comes into play for the scheduler's one persistence id, so SQLite's single writer
        //   is never contended by it.
        // - prefer-parameters-on-multirow-insert: a write of several rows (a busy scheduler's write is several
        //   EventBatch rows of up to ~48 KB) goes through linq2db's multi-row INSERT, which by default writes each
        //   value into the SQL text: every row's bytes became a hex literal built in a StringBuilder and parsed again
        //   by the database, ~40 % of the host's allocations at 20,000 tasks/s. As parameters, the bytes are bound as
        //   they are.
        // SQLite: write-ahead log (set when DatabaseCheck creates the file) with SQLite's default synchronous=FULL,
        // kept: each commit is synced to the log, so an acknowledged submission survives a power loss and not only a
        // killed process, as docs/durability.md promises. That sync is the floor of a write's latency, which is
        // why the events of many messages share one.
        var plugins = $$"""
            {{Journal}} {
              connection-string = {{connection}}
              provider-name = "{{provider}}"
              auto-initialize = on
              prefer-parameters-on-multirow-insert = on
            }
            {{SnapshotStore}} {
              connection-string = {{connection}}
              provider-name = "{{provider}}"
              auto-initialize = on
            }
            """;
        // Without the plugin's own defaults as a fallback, Akka finds no class for the journal plugin.
        return ConfigurationFactory.ParseString(plugins)
            .WithFallback(PersistenceConfig.Serialization)
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>How long PostgreSQL lets a journal connection sit inside an open transaction before it ends the session.</summary>
    public static readonly TimeSpan IdleTransactionTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The journal's PostgreSQL connections with <c>idle_in_transaction_session_timeout</c> set (unless the operator's
    /// connection string sets it). A host frozen between a write's INSERT and its COMMIT (SIGSTOP, a suspended VM) keeps
    /// its transaction, and its lock on the journal table, open for as long as it is frozen: the successor scheduler's
    /// journal start-up (CREATE TABLE/INDEX IF NOT EXISTS) waited on that lock, 30 s at a time, until the frozen host
    /// woke. The server ends such a session after this timeout: the successor goes on, and the frozen host's write fails
    /// when it wakes, so its scheduler stops instead of writing next to its successor (docs/durability.md, the pause
    /// fence). A write's own transaction is never idle that long.
    /// </summary>
    internal static string WithTransactionsBounded(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        if (options.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal)) return connectionString;
        var bound = $"-c idle_in_transaction_session_timeout={(long)IdleTransactionTimeout.TotalMilliseconds}";
        builder.Options = options.Length == 0 ? bound : $"{options} {bound}";
        return builder.ConnectionString;
    }

    /// <summary>A HOCON quoted string: backslashes and quotes escaped, so any connection string survives.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
