using Lighthouse.Persistence;
using System.Data.Common;
using System.Globalization;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lighthouse.Persistence.Sql;

/// <summary>
/// The scheduler's SQL journal, read from the <c>lighthouse.persistence</c> section of the configuration
/// (config/lighthouse.conf documents every key): the database and how to reach it. Without a provider the
/// scheduler runs in memory. <see cref="Scheduler"/> is what the scheduler itself is given; <see cref="Config"/>
/// what its actor system's configuration must hold. <c>lighthouse serve</c> defaults to SQLite.
/// </summary>
public sealed record SqlDurabilitySettings(
    PersistenceProvider Provider,
    string? ConnectionString,
    TimeSpan ConnectTimeout,
    DurabilitySettings Scheduler)
{
    public const string Section = DurabilitySettings.Section;

    /// <summary>The SQLite file's name inside the data directory.</summary>
    public const string DatabaseFileName = "lighthouse.db";

    /// <summary>The data directory when none is configured (see <see cref="DefaultDataDirectory"/>).</summary>
    public const string DataDirectoryName = "lighthouse";

    /// <summary>No persistence, with the defaults of the other knobs.</summary>
    public static SqlDurabilitySettings InMemory { get; } = new(
        PersistenceProvider.None,
        ConnectionString: null,
        ConnectTimeout: TimeSpan.FromSeconds(10),
        DurabilitySettings.InMemory);

    /// <summary>SQLite in <paramref name="databaseFile"/> (created with its tables on first start).</summary>
    public static SqlDurabilitySettings Sqlite(string databaseFile) => Of(PersistenceProvider.Sqlite, SqliteConnectionString(databaseFile), InMemory);

    /// <summary>PostgreSQL at <paramref name="connectionString"/> (an Npgsql connection string; the tables are created on first start).</summary>
    public static SqlDurabilitySettings PostgreSql(string connectionString) => Of(PersistenceProvider.PostgreSql, connectionString, InMemory);

    /// <summary>These settings with the scheduler's own knobs changed (snapshot pacing, recovery grace).</summary>
    public SqlDurabilitySettings WithScheduler(Func<DurabilitySettings, DurabilitySettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return this with { Scheduler = change(Scheduler) };
    }

    /// <summary>What the scheduler's actor system needs: the journal serializer and, for a database, the SQL plugins.</summary>
    public Config Config => SqlJournalConfig.For(this);

    public bool IsDurable => Provider != PersistenceProvider.None;

    /// <summary>
    /// Reads <c>lighthouse.persistence</c>; a missing key keeps its default, a missing provider means none.
    /// <paramref name="dataDirectory"/> (the host's <c>--data-dir</c>) overrides the <c>data-dir</c> key; the
    /// SQLite file is <see cref="DatabaseFileName"/> there unless <c>connection-string</c> names another.
    /// Throws <see cref="ConfigurationException"/> naming the key and the value for anything invalid.
    /// </summary>
    public static SqlDurabilitySettings FromConfig(Config config, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.HasPath(Section) ? config.GetConfig(Section) : Config.Empty;
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

        var connectTimeout = Duration(section, "connect-timeout", InMemory.ConnectTimeout);
        var chosen = provider == PersistenceProvider.None ? InMemory : Of(provider, connection!, InMemory);
        return chosen with { ConnectTimeout = connectTimeout, Scheduler = chosen.Scheduler.WithKnobsFrom(config) };
    }

    private static SqlDurabilitySettings Of(PersistenceProvider provider, string connectionString, SqlDurabilitySettings knobs)
    {
        var settings = knobs with { Provider = provider, ConnectionString = connectionString };
        var plugins = DurabilitySettings.Plugins(SqlJournalConfig.Journal, SqlJournalConfig.SnapshotStore, settings.Describe());
        return settings with
        {
            Scheduler = plugins with
            {
                SnapshotEvery = knobs.Scheduler.SnapshotEvery,
                RecoveryGrace = knobs.Scheduler.RecoveryGrace,
                SnapshotEventsPerTask = knobs.Scheduler.SnapshotEventsPerTask,
            },
        };
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

    private static TimeSpan Duration(Config section, string key, TimeSpan fallback) =>
        new SettingsSection(Section, section).Duration(key, fallback, "10s");

    private static ConfigurationException Invalid(string key, string value, string why) =>
        new SettingsSection(Section, Config.Empty).Invalid(key, value, why);
}
