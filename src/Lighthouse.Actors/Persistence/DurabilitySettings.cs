using System.Data.Common;
using System.Globalization;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lighthouse.Persistence;

/// <summary>
/// How the scheduler persists its events, read from the <c>lighthouse.persistence</c> section of the
/// configuration (config/lighthouse.conf documents every key). Without a provider the scheduler runs in
/// memory: the library default, so an application opts in. <c>lighthouse serve</c> defaults to SQLite.
/// </summary>
public sealed record DurabilitySettings(
    PersistenceProvider Provider,
    string? ConnectionString,
    int SnapshotEvery,
    TimeSpan RecoveryGrace,
    TimeSpan ConnectTimeout)
{
    public const string Section = "lighthouse.persistence";

    /// <summary>
    /// A snapshot holds every task the scheduler knows (queued, running, and finished ones kept for their retention),
    /// so it is never taken more often than every this many journaled events per known task, whatever
    /// <see cref="SnapshotEvery"/> says: a busy scheduler retaining 200,000 results would otherwise rewrite them all
    /// more than once a second (measured: that halved the durable end-to-end rate). Recovery then replays at most
    /// that many events after its snapshot, in proportion to the state it loads anyway. 0 snapshots by
    /// <see cref="SnapshotEvery"/> alone.
    /// </summary>
    public int SnapshotEventsPerTask { get; init; } = 2;

    /// <summary>The scheduler's persistence id: the one stream of events every host's scheduler shares.</summary>
    public const string PersistenceId = "lighthouse-scheduler";

    /// <summary>The SQLite file's name inside the data directory.</summary>
    public const string DatabaseFileName = "lighthouse.db";

    /// <summary>The data directory when none is configured (see <see cref="DefaultDataDirectory"/>).</summary>
    public const string DataDirectoryName = "lighthouse";

    /// <summary>No persistence, with the defaults of the other knobs.</summary>
    public static DurabilitySettings InMemory { get; } = new(
        PersistenceProvider.None,
        ConnectionString: null,
        SnapshotEvery: 10_000,
        RecoveryGrace: TimeSpan.FromSeconds(10),
        ConnectTimeout: TimeSpan.FromSeconds(10));

    /// <summary>SQLite in <paramref name="databaseFile"/> (created with its tables on first start).</summary>
    public static DurabilitySettings Sqlite(string databaseFile) =>
        InMemory with { Provider = PersistenceProvider.Sqlite, ConnectionString = SqliteConnectionString(databaseFile) };

    /// <summary>PostgreSQL at <paramref name="connectionString"/> (an Npgsql connection string; the tables are created on first start).</summary>
    public static DurabilitySettings PostgreSql(string connectionString) =>
        InMemory with { Provider = PersistenceProvider.PostgreSql, ConnectionString = connectionString };

    public bool IsDurable => Provider != PersistenceProvider.None;

    /// <summary>
    /// Reads <c>lighthouse.persistence</c>; a missing key keeps its default, a missing provider means none.
    /// <paramref name="dataDirectory"/> (the host's <c>--data-dir</c>) overrides the <c>data-dir</c> key; the
    /// SQLite file is <see cref="DatabaseFileName"/> there unless <c>connection-string</c> names another.
    /// Throws <see cref="ConfigurationException"/> naming the key and the value for anything invalid.
    /// </summary>
    public static DurabilitySettings FromConfig(Config config, string? dataDirectory = null)
    {
        var section = config.HasPath(Section) ? config.GetConfig(Section) : Config.Empty;
        var d = InMemory;
        var provider = section.HasPath("provider") ? ParseProvider(section.GetString("provider")) : PersistenceProvider.None;
        var connection = section.HasPath("connection-string") ? section.GetString("connection-string") : null;
        if (string.IsNullOrWhiteSpace(connection)) connection = null;

        switch (provider)
        {
            case PersistenceProvider.Sqlite when connection is null:
                var directory = dataDirectory ?? (section.HasPath("data-dir") ? section.GetString("data-dir") : null);
                if (string.IsNullOrWhiteSpace(directory)) directory = DefaultDataDirectory();
                connection = SqliteConnectionString(Path.Combine(directory, DatabaseFileName));
                break;
            case PersistenceProvider.Sqlite:
                CheckConnectionString(connection, new SqliteConnectionStringBuilder(), "Data Source");
                break;
            case PersistenceProvider.PostgreSql when connection is null:
                throw Invalid("connection-string", "", "provider = postgresql needs a connection string, e.g. \"Host=db.example;Database=lighthouse;Username=lighthouse;Password=...\"");
            case PersistenceProvider.PostgreSql:
                CheckConnectionString(connection, new NpgsqlConnectionStringBuilder(), "Host");
                break;
        }

        return new DurabilitySettings(
            provider,
            provider == PersistenceProvider.None ? null : connection,
            SnapshotEvery: Positive(section, "snapshot-every", d.SnapshotEvery),
            RecoveryGrace: Duration(section, "recovery-grace", d.RecoveryGrace),
            ConnectTimeout: Duration(section, "connect-timeout", d.ConnectTimeout));
    }

    /// <summary>none | sqlite | postgresql (case-insensitive); anything else names the choices.</summary>
    public static PersistenceProvider ParseProvider(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "none" or "memory" => PersistenceProvider.None,
        "sqlite" => PersistenceProvider.Sqlite,
        "postgresql" or "postgres" => PersistenceProvider.PostgreSql,
        _ => throw Invalid("provider", name ?? "", "expected none, sqlite or postgresql"),
    };

    /// <summary>
    /// Where <c>lighthouse serve</c> keeps its data when no directory is configured: <c>$XDG_DATA_HOME/lighthouse</c>,
    /// else <c>~/.local/share/lighthouse</c>, else (no home directory) <c>./lighthouse-data</c>.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, DataDirectoryName);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrWhiteSpace(home)) return Path.Combine(home, ".local", "share", DataDirectoryName);
        return Path.GetFullPath("lighthouse-data");
    }

    /// <summary>The SQLite file of an SQLite connection string (null for other providers).</summary>
    public string? SqliteFile => Provider == PersistenceProvider.Sqlite
        ? Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource)
        : null;

    /// <summary>The database as an operator recognises it, never with its password: the file, or user@host:port/database.</summary>
    public string Describe() => Provider switch
    {
        PersistenceProvider.None => "no persistence (in memory)",
        PersistenceProvider.Sqlite => $"SQLite database {SqliteFile}",
        PersistenceProvider.PostgreSql => DescribePostgreSql(ConnectionString!),
        _ => Provider.ToString(),
    };

    private static string DescribePostgreSql(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@";
        var database = string.IsNullOrEmpty(b.Database) ? "" : "/" + b.Database;
        return $"PostgreSQL database {user}{b.Host}:{b.Port.ToString(CultureInfo.InvariantCulture)}{database}";
    }

    private static string SqliteConnectionString(string databaseFile) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databaseFile) }.ConnectionString;

    private static void CheckConnectionString(string connection, DbConnectionStringBuilder builder, string requiredKey)
    {
        try
        {
            builder.ConnectionString = connection;
        }
        catch (ArgumentException e)
        {
            // The message names the bad key; the string itself may hold a password, so it is not repeated.
            throw new ConfigurationException($"{Section}.connection-string is invalid: {e.Message}");
        }
        if (!builder.TryGetValue(requiredKey, out var value) || string.IsNullOrWhiteSpace(value?.ToString()))
            throw new ConfigurationException($"{Section}.connection-string is invalid: it has no \"{requiredKey}\"");
    }

    private static int Positive(Config section, string key, int fallback) =>
        new SettingsSection(Section, section).Positive(key, fallback);

    private static TimeSpan Duration(Config section, string key, TimeSpan fallback) =>
        new SettingsSection(Section, section).Duration(key, fallback, "10s");

    private static ConfigurationException Invalid(string key, string value, string why) =>
        new SettingsSection(Section, Config.Empty).Invalid(key, value, why);
}
