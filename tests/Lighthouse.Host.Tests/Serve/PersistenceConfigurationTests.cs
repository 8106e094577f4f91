using Lighthouse.Host.Serve;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Serve;

/// <summary>Where <c>lighthouse serve</c> keeps the scheduler's journal: SQLite in the data directory unless configured otherwise.</summary>
public sealed class PersistenceConfigurationTests
{
    private static HostSettings Settings(ServeArguments? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var given = arguments ?? new ServeArguments();
        return HostSettings.From(HostConfiguration.Compose(given, environment ?? new Dictionary<string, string>()), given.ConfigFile);
    }

    [Fact]
    public void By_default_the_scheduler_persists_to_sqlite_in_the_users_data_directory()
    {
        var durability = Settings().Durability;

        Assert.Equal(PersistenceProvider.Sqlite, durability.Provider);
        Assert.Equal(Path.Combine(SqlDurabilitySettings.DefaultDataDirectory(), "lighthouse.db"), durability.SqliteFile);
        Assert.Equal((10_000, TimeSpan.FromSeconds(10)), (durability.Scheduler.SnapshotEvery, durability.Scheduler.RecoveryGrace));
        // The journal plugins and the event serializer are in the ActorSystem's configuration.
        var akka = Settings().Akka;
        Assert.Equal("SQLite.MS", akka.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("lighthouse-journal", akka.GetString("akka.actor.serialization-bindings.\"Lighthouse.Scheduling.TaskSubmitted, Lighthouse.Actors\""));
    }

    [Fact]
    public void The_flag_beats_the_environment_which_beats_the_file()
    {
        using var file = new TempFile("lighthouse.persistence.data-dir = \"/from/file\"");
        var environment = new Dictionary<string, string> { [HostEnvironment.DataDir] = "/from/env" };

        Assert.Equal("/from/file/lighthouse.db", Settings(new ServeArguments(ConfigFile: file.Path)).Durability.SqliteFile);
        Assert.Equal("/from/env/lighthouse.db", Settings(new ServeArguments(ConfigFile: file.Path), environment).Durability.SqliteFile);
        Assert.Equal("/from/flag/lighthouse.db", Settings(new ServeArguments(ConfigFile: file.Path, DataDir: "/from/flag"), environment).Durability.SqliteFile);
        Assert.Equal(Path.GetFullPath("relative/dir/lighthouse.db"), Settings(new ServeArguments(DataDir: "relative/dir")).Durability.SqliteFile);
    }

    [Fact]
    public void Postgresql_and_none_are_chosen_in_the_file()
    {
        using var postgres = new TempFile("lighthouse.persistence { provider = postgresql, connection-string = \"Host=db;Database=lh;Username=u;Password=p\" }");
        using var none = new TempFile("lighthouse.persistence.provider = none");

        var durability = Settings(new ServeArguments(ConfigFile: postgres.Path)).Durability;
        Assert.Equal("PostgreSQL database u@db:5432/lh", durability.Describe());
        Assert.Equal("PostgreSQL", Settings(new ServeArguments(ConfigFile: postgres.Path)).Akka.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.False(Settings(new ServeArguments(ConfigFile: none.Path)).Durability.IsDurable);
    }

    [Fact]
    public void A_bad_persistence_value_is_refused_naming_the_file_the_key_and_the_value()
    {
        using var file = new TempFile("lighthouse.persistence.provider = oracle");

        var message = Assert.Throws<ServeConfigurationException>(() => Settings(new ServeArguments(ConfigFile: file.Path))).Message;

        Assert.Equal($"--config \"{file.Path}\": lighthouse.persistence.provider = \"oracle\" is invalid: expected none, sqlite or postgresql", message);
    }

    [Fact]
    public void An_empty_data_directory_flag_is_refused_naming_the_flag()
    {
        var message = Assert.Throws<ServeConfigurationException>(() => Settings(new ServeArguments(DataDir: " "))).Message;
        Assert.Equal("--data-dir = \" \": not a directory path", message);
    }
}
