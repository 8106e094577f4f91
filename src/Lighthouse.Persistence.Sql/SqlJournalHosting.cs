using Akka.Hosting;
using Lighthouse.Hosting;
using Lighthouse.Scheduling;

namespace Lighthouse.Persistence.Sql;

/// <summary>Akka.Hosting: the Lighthouse scheduler journaling to SQLite or PostgreSQL.</summary>
public static class SqlJournalHosting
{
    /// <summary>
    /// Runs the scheduler (<see cref="LighthouseSchedulerHosting.WithLighthouseScheduler"/>) with its events in the
    /// database <paramref name="durability"/> names, e.g. <c>SqlDurabilitySettings.Sqlite("lighthouse.db")</c>. The
    /// SQL plugins' configuration is appended, so the application's own settings win.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseSqlScheduler(
        this AkkaConfigurationBuilder builder,
        SqlDurabilitySettings durability,
        SchedulerSettings? settings = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(durability);
        return builder
            .AddHocon(durability.Config, HoconAddMode.Append)
            .WithLighthouseScheduler(settings, clock, durability.Scheduler);
    }
}
