using Akka.Configuration;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;

namespace Lighthouse.Actors.Tests.Persistence;

/// <summary>The <c>lighthouse.persistence</c> section: defaults, the data directory, and errors that name the key and the value.</summary>
public sealed class DurabilitySettingsTests
{
    private static SqlDurabilitySettings Read(string hocon, string? dataDirectory = null) =>
        SqlDurabilitySettings.FromConfig(ConfigurationFactory.ParseString(hocon), dataDirectory);

    [Fact]
    public void Without_a_provider_the_scheduler_keeps_everything_in_memory()
    {
        var settings = Read("");
        Assert.Equal(SqlDurabilitySettings.InMemory, settings);
        Assert.False(settings.IsDurable);
        Assert.Equal((10_000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)), (settings.Scheduler.SnapshotEvery, settings.Scheduler.RecoveryGrace, settings.ConnectTimeout));
    }

    [Fact]
    public void Sqlite_lives_in_the_data_directory_given_by_the_host_over_the_configured_one()
    {
        using var directory = new TempDirectory();
        var configured = Read("lighthouse.persistence { provider = sqlite, data-dir = \"/var/lib/lighthouse\", snapshot-every = 500, recovery-grace = 3s }");
        var given = Read("lighthouse.persistence { provider = sqlite, data-dir = \"/var/lib/lighthouse\" }", directory.Path);

        Assert.Equal("/var/lib/lighthouse/lighthouse.db", configured.SqliteFile);
        Assert.Equal((500, TimeSpan.FromSeconds(3)), (configured.Scheduler.SnapshotEvery, configured.Scheduler.RecoveryGrace));
        Assert.Equal(directory.File("lighthouse.db"), given.SqliteFile);
        Assert.Equal($"SQLite database {directory.File("lighthouse.db")}", given.Describe());
    }

    [Fact]
    public void Sqlite_without_a_data_directory_uses_the_users_data_home()
    {
        var settings = Read("lighthouse.persistence.provider = SQLite");
        Assert.Equal(Path.Combine(SqlDurabilitySettings.DefaultDataDirectory(), "lighthouse.db"), settings.SqliteFile);
        Assert.EndsWith("lighthouse", SqlDurabilitySettings.DefaultDataDirectory());
    }

    [Fact]
    public void An_sqlite_connection_string_names_its_own_file()
    {
        var settings = Read("lighthouse.persistence { provider = sqlite, connection-string = \"Data Source=/tmp/elsewhere.db\" }", "/ignored");
        Assert.Equal("/tmp/elsewhere.db", settings.SqliteFile);
    }

    [Fact]
    public void Postgresql_is_described_without_its_password()
    {
        var settings = Read("lighthouse.persistence { provider = postgresql, connection-string = \"Host=db.example;Port=5433;Database=lh;Username=sched;Password=s3cret\" }");

        Assert.Equal(PersistenceProvider.PostgreSql, settings.Provider);
        Assert.Equal("PostgreSQL database sched@db.example:5433/lh", settings.Describe());
        Assert.DoesNotContain("s3cret", settings.Describe());
    }

    [Theory]
    [InlineData("lighthouse.persistence.provider = mongo", "lighthouse.persistence.provider = \"mongo\" is invalid: expected none, sqlite or postgresql")]
    [InlineData("lighthouse.persistence.provider = postgresql", "lighthouse.persistence.connection-string = \"\" is invalid: provider = postgresql needs a connection string")]
    [InlineData("lighthouse.persistence { provider = postgresql, connection-string = \"Database=x\" }", "lighthouse.persistence.connection-string is invalid: it has no \"Host\"")]
    [InlineData("lighthouse.persistence { provider = postgresql, connection-string = \"Hots=x;Password=s3cret\" }", "lighthouse.persistence.connection-string is invalid: ")]
    [InlineData("lighthouse.persistence.snapshot-every = 0", "lighthouse.persistence.snapshot-every = \"0\" is invalid: it must be a whole number of at least 1")]
    [InlineData("lighthouse.persistence.recovery-grace = 0s", "lighthouse.persistence.recovery-grace = \"0s\" is invalid: it must be a positive duration")]
    [InlineData("lighthouse.persistence.connect-timeout = soon", "lighthouse.persistence.connect-timeout = \"soon\" is invalid")]
    public void A_bad_value_is_refused_naming_the_key_and_the_value(string hocon, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(hocon));
        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void The_sql_plugins_are_configured_for_the_database_with_their_defaults_behind()
    {
        var config = SqlJournalConfig.For(SqlDurabilitySettings.PostgreSql("Host=127.0.0.1;Database=\"x\\y\";Username=u"));

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(("127.0.0.1", "x\\y", "u"), (connection.Host, connection.Database, connection.Username));
        // A host frozen inside a write's transaction cannot hold the journal's locks for longer than this (the pause fence).
        Assert.Equal("-c idle_in_transaction_session_timeout=4000", connection.Options);
        Assert.Equal("PostgreSQL", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Equal("Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql", config.GetString("akka.persistence.journal.sql.class"));
        Assert.Equal("SQLite.MS", SqlJournalConfig.For(SqlDurabilitySettings.Sqlite("/tmp/x.db")).GetString("akka.persistence.journal.sql.provider-name"));
        Assert.False(SqlJournalConfig.For(SqlDurabilitySettings.InMemory).HasPath("akka.persistence.journal.sql.class"));
    }

    [Fact]
    public void An_idle_transaction_timeout_the_operator_set_is_kept()
    {
        var config = SqlJournalConfig.For(SqlDurabilitySettings.PostgreSql("Host=db;Username=u;Options=-c idle_in_transaction_session_timeout=60000"));

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("-c idle_in_transaction_session_timeout=60000", connection.Options);
        var other = new Npgsql.NpgsqlConnectionStringBuilder(SqlJournalConfig.For(SqlDurabilitySettings.PostgreSql("Host=db;Options=-c statement_timeout=9000"))
            .GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("-c statement_timeout=9000 -c idle_in_transaction_session_timeout=4000", other.Options);
    }
}
