using Lighthouse.Host.Serve;
using Lighthouse.Persistence.Sql;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Host.Tests.Serve;

/// <summary>Which downing rule a host runs (<c>lighthouse.host.downing</c>): keep-majority unless lease-majority is chosen, on PostgreSQL.</summary>
public sealed class DowningConfigurationTests
{
    private const string Postgres = "lighthouse.persistence { provider = postgresql, connection-string = \"Host=db;Database=lh;Username=u;Password=p\" }\n";
    private const string Resolver = "akka.cluster.split-brain-resolver";

    private static HostSettings Settings(string file)
    {
        using var config = new TempFile(file);
        var arguments = new ServeArguments(ConfigFile: config.Path);
        return HostSettings.From(HostConfiguration.Compose(arguments, new Dictionary<string, string>()), arguments.ConfigFile);
    }

    [Fact]
    public void On_sqlite_the_host_keeps_the_majority_of_scheduler_members()
    {
        var akka = Settings("lighthouse.persistence.data-dir = \"/tmp/x\"").Akka;

        Assert.Equal("keep-majority", akka.GetString($"{Resolver}.active-strategy"));
        Assert.Equal("scheduler", akka.GetString($"{Resolver}.keep-majority.role"));
    }

    [Fact]
    public void With_lease_majority_on_postgresql_the_host_takes_a_lease_in_the_same_database_before_downing()
    {
        Assert.Equal("keep-majority", Settings(Postgres).Akka.GetString($"{Resolver}.active-strategy"));
        var akka = Settings(Postgres + "lighthouse.host.downing = lease-majority").Akka;

        Assert.Equal("lease-majority", akka.GetString($"{Resolver}.active-strategy"));
        Assert.Equal("scheduler", akka.GetString($"{Resolver}.lease-majority.role"));
        Assert.Equal(PostgresLease.ConfigPath, akka.GetString($"{Resolver}.lease-majority.lease-implementation"));
        Assert.Equal("Lighthouse.Persistence.Sql.PostgresLease, Lighthouse.Persistence.Sql", akka.GetString($"{PostgresLease.ConfigPath}.lease-class"));
        Assert.Equal("Host=db;Database=lh;Username=u;Password=p", akka.GetString($"{PostgresLease.ConfigPath}.connection-string"));
        Assert.Equal(TimeSpan.FromSeconds(10), akka.GetTimeSpan($"{PostgresLease.ConfigPath}.heartbeat-timeout"));
    }

    [Fact]
    public void Keep_majority_can_be_named_and_the_lease_can_have_a_database_of_its_own()
    {
        Assert.Equal("keep-majority", Settings(Postgres + "lighthouse.host.downing = keep-majority").Akka.GetString($"{Resolver}.active-strategy"));
        var own = Settings(Postgres + "lighthouse.host.downing = lease-majority\nlighthouse.lease.connection-string = \"Host=lease-db;Database=l\"").Akka;
        Assert.Equal("Host=lease-db;Database=l", own.GetString($"{PostgresLease.ConfigPath}.connection-string"));
    }

    [Fact]
    public void Lease_majority_without_postgresql_is_refused_naming_the_key()
    {
        var e = Assert.Throws<ServeConfigurationException>(() => Settings("lighthouse.host.downing = lease-majority"));

        Assert.Contains("lighthouse.host.downing = lease-majority", e.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rule_is_refused_naming_the_choices()
    {
        var e = Assert.Throws<ServeConfigurationException>(() => Settings("lighthouse.host.downing = keep-oldest"));

        Assert.Contains("lighthouse.host.downing = \"keep-oldest\": expected auto, keep-majority or lease-majority", e.Message, StringComparison.Ordinal);
    }
}
