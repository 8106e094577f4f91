using Akka.Configuration;
using Lighthouse.Persistence;
using Lighthouse.Persistence.Sql;

namespace Lighthouse.Host.Serve;

/// <summary>
/// Which downing rule a host runs (<c>lighthouse.host.downing</c>, docs/durability.md "How many scheduler hosts"):
/// <c>keep-majority</c> over scheduler members, as configured under <c>akka.cluster.split-brain-resolver</c>; or
/// <c>lease-majority</c>, whose decider must first take a lease in the PostgreSQL database the hosts share
/// (<see cref="PostgresLease"/>), so that two hosts survive the loss of either. <c>auto</c> (the default) is keep-majority:
/// the chaos harness showed lease-majority downing a whole three-host cluster on a second fault within the lease's hold
/// (docs/durability.md), so it is chosen only where it is needed, for two hosts.
/// </summary>
internal static class HostDowning
{
    internal const string Key = "lighthouse.host.downing";
    private const string LeaseSection = PostgresLease.ConfigPath;

    /// <summary>The configuration to lay over the host's own for its downing rule (empty: keep what it says).</summary>
    public static Config For(Config config, SqlDurabilitySettings durability)
    {
        var chosen = config.HasPath(Key) ? config.GetString(Key)?.Trim().ToLowerInvariant() ?? "" : "auto";
        var lease = chosen switch
        {
            "auto" or "keep-majority" => false,
            "lease-majority" when durability.Provider != PersistenceProvider.PostgreSql =>
                throw new ServeConfigurationException($"{Key} = lease-majority needs the lease's store, and only lighthouse.persistence.provider = postgresql has one every host shares; with {durability.Describe()} use keep-majority"),
            "lease-majority" => true,
            _ => throw new ServeConfigurationException($"{Key} = \"{chosen}\": expected auto, keep-majority or lease-majority"),
        };
        if (!lease) return Config.Empty;
        var connection = config.HasPath($"{LeaseSection}.connection-string") ? config.GetString($"{LeaseSection}.connection-string") : null;
        if (string.IsNullOrWhiteSpace(connection)) connection = durability.ConnectionString!;
        return ConfigurationFactory.ParseString($$"""
            akka.cluster.split-brain-resolver {
              active-strategy = lease-majority
              lease-majority.lease-implementation = "{{LeaseSection}}"
            }
            {{LeaseSection}} {
              lease-class = "{{typeof(PostgresLease).FullName}}, {{typeof(PostgresLease).Assembly.GetName().Name}}"
              connection-string = {{HostValues.Quote(connection)}}
            }
            """);
    }
}
