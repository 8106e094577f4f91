using Akka.Hosting;
using Lighthouse.Persistence;
using Lighthouse.Scheduling;

namespace Lighthouse.Hosting;

/// <summary>Adds the Lighthouse scheduler to an Akka.Hosting ActorSystem.</summary>
public static class LighthouseSchedulerHosting
{
    /// <summary>
    /// Runs the scheduler as a cluster singleton in this system, with a proxy registered with the ClusterClientReceptionist
    /// and in the ActorRegistry under <see cref="LighthouseScheduler"/> (see <see cref="LighthouseScheduler.Start"/>).
    /// The system must be a cluster member with the role <see cref="LighthouseNames.SchedulerRole"/>, e.g. through
    /// <c>WithClustering</c> or HOCON. Without <paramref name="settings"/> the scheduler reads the
    /// <c>lighthouse.scheduler</c> section of the system's configuration (defaults where absent). The settings Lighthouse
    /// needs are added: <see cref="LighthouseScheduler.RoleConfig"/> over everything, <see cref="LighthouseConfig.Defaults"/>
    /// under the user's own configuration.
    /// Without <paramref name="durability"/> the scheduler keeps its state in memory; with it, it writes to the journal and
    /// snapshot plugins it names, which the system's configuration must hold (Lighthouse.Persistence.Sql's
    /// <c>WithLighthouseSqlScheduler</c> adds SQLite or PostgreSQL; see docs/durability.md). The journal serializer is appended.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseScheduler(
        this AkkaConfigurationBuilder builder,
        SchedulerSettings? settings = null,
        TimeProvider? clock = null,
        DurabilitySettings? durability = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var persistence = durability ?? DurabilitySettings.InMemory;
        return builder
            .AddHocon(LighthouseScheduler.RoleConfig, HoconAddMode.Prepend)
            .AddHocon(LighthouseConfig.Defaults, HoconAddMode.Append)
            .AddHocon(PersistenceConfig.Serialization, HoconAddMode.Append)
            .WithActors((system, registry) =>
            {
                var chosen = settings ?? SchedulerSettings.FromConfig(system.Settings.Config);
                registry.Register<LighthouseScheduler>(LighthouseScheduler.Start(system, chosen, clock, persistence));
            });
    }
}
