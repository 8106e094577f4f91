using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Pattern;
using Lighthouse.Membership;
using Lighthouse.Persistence;
using Lighthouse.Scheduling;

namespace Lighthouse.Hosting;

/// <summary>
/// Starts the scheduler in a cluster member the way every Lighthouse host does: the <see cref="SchedulerActor"/> as a
/// cluster singleton on the members of role <see cref="LighthouseNames.SchedulerRole"/> (manager
/// <see cref="LighthouseNames.SchedulerManager"/>), a proxy to it (<see cref="LighthouseNames.SchedulerProxy"/>), and
/// that proxy registered with the ClusterClientReceptionist so clients outside the cluster reach it. Used by
/// <c>lighthouse serve</c> and by <see cref="LighthouseSchedulerHosting.WithLighthouseScheduler"/>; also the
/// <see cref="ActorRegistry"/> key of the proxy.
/// </summary>
public sealed class LighthouseScheduler
{
    /// <summary>
    /// Settings every scheduler host needs over Akka's defaults: the receptionist, and the DistributedPubSub mediator
    /// it uses, on scheduler members only, so clients are never sent to a worker, and the mediator never gossips to
    /// workers, which run none and could not read its messages ("Deserialization failed … distributedPubSubMediator").
    /// With Akka.Hosting they are prepended: <c>WithClustering</c> writes the pub-sub defaults into the configuration.
    /// </summary>
    public static Config RoleConfig { get; } = ConfigurationFactory.ParseString($"""
        akka.cluster.client.receptionist.role = "{LighthouseNames.SchedulerRole}"
        akka.cluster.pub-sub.role = "{LighthouseNames.SchedulerRole}"
        """);

    /// <summary><see cref="RoleConfig"/> over <see cref="LighthouseConfig.Defaults"/>: what a scheduler host's configuration falls back to.</summary>
    public static Config RequiredConfig { get; } = RoleConfig.WithFallback(LighthouseConfig.Defaults);

    private LighthouseScheduler()
    {
    }

    /// <summary>
    /// Starts the singleton manager, the proxy and the receptionist registration in <paramref name="system"/>, and
    /// returns the proxy: where this process sends its own requests. The system must use the cluster provider and
    /// have the role <see cref="LighthouseNames.SchedulerRole"/>; otherwise <see cref="InvalidOperationException"/>
    /// says what is missing. <paramref name="clock"/> defaults to the system clock. With a durable
    /// <paramref name="durability"/> (whose plugins and <see cref="PersistenceConfig.Serialization"/> the system's configuration must hold)
    /// the scheduler persists its events, and runs under a backoff supervisor: a scheduler that stops because a write
    /// failed starts again after a pause and recovers from the journal, instead of leaving the cluster without one.
    /// </summary>
    public static IActorRef Start(ActorSystem system, SchedulerSettings settings, TimeProvider? clock = null, DurabilitySettings? durability = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        if (!ClusterHealthWatcher.IsClustered(system))
            throw new InvalidOperationException($"the scheduler runs as a cluster singleton, but ActorSystem \"{system.Name}\" is not clustered: set akka.actor.provider = cluster");
        if (!Cluster.Get(system).SelfRoles.Contains(LighthouseNames.SchedulerRole))
            throw new InvalidOperationException($"ActorSystem \"{system.Name}\" lacks the cluster role \"{LighthouseNames.SchedulerRole}\", so it could never run the scheduler: add it to akka.cluster.roles");

        LighthouseConfig.Prepare(system, "Lighthouse scheduler");
        // With TLS: prove this member's host certificate to other hosts, and check every other member's.
        LighthouseMembership.StartResponder(system);
        LighthouseMembership.StartGuard(system);
        StartDowningLeaseKeeper(system);
        var chosen = durability ?? DurabilitySettings.InMemory;
        var scheduler = SchedulerActor.Props(settings, chosen, clock);
        if (chosen.IsDurable)
        {
            // A hand-over stops the scheduler for good: the supervisor stops with it instead of starting it again.
            scheduler = BackoffSupervisor.Props(Backoff.OnStop(
                    scheduler, "scheduler", minBackoff: TimeSpan.FromSeconds(1), maxBackoff: TimeSpan.FromSeconds(30), randomFactor: 0.2, maxNrOfRetries: -1)
                .WithFinalStopMessage(message => message is HandOverScheduler));
            // Every host, standby or not, opens the journal before it is needed rather than inside a fail-over
            // (JournalWarmup); a while after joining, so as not to add to a starting process's own pauses, which
            // the chaos harness saw get freshly restarted hosts downed on a loaded machine.
            Cluster.Get(system).RegisterOnMemberUp(() => system.Scheduler.Advanced.ScheduleOnce(JournalWarmup.AfterUp, () =>
            {
                if (!system.WhenTerminated.IsCompleted) system.ActorOf(JournalWarmup.Props(chosen), LighthouseNames.JournalWarmup);
            }));
        }
        system.ActorOf(
            ClusterSingletonManager.Props(
                scheduler,
                HandOverScheduler.Instance,
                ClusterSingletonManagerSettings.Create(system)
                    .WithRole(LighthouseNames.SchedulerRole)
                    .WithSingletonName(LighthouseNames.SchedulerSingleton)),
            LighthouseNames.SchedulerManager);
        var proxy = system.ActorOf(
            ClusterSingletonProxy.Props(LighthouseNames.SchedulerManagerPath, LighthouseConfig.SchedulerProxySettings(system)),
            LighthouseNames.SchedulerProxy);
        ClusterClientReceptionist.Get(system).RegisterService(proxy);
        return proxy;
    }

    /// <summary>
    /// With <c>lease-majority</c> on a lease this host can take itself (not <see cref="DelegatedLease"/>): the keeper
    /// that takes it for members that cannot (<see cref="DowningLeaseKeeper"/>), since the resolver that decides is
    /// the cluster leader's, which may be a worker.
    /// </summary>
    private static void StartDowningLeaseKeeper(ActorSystem system)
    {
        var config = system.Settings.Config;
        const string Resolver = "akka.cluster.split-brain-resolver";
        if (config.GetString($"{Resolver}.active-strategy", "") != "lease-majority") return;
        var implementation = config.GetString($"{Resolver}.lease-majority.lease-implementation", "");
        if (string.IsNullOrEmpty(implementation) || config.GetString($"{implementation}.lease-class", "").StartsWith(typeof(DelegatedLease).FullName!, StringComparison.Ordinal))
            return;
        var name = config.GetString($"{Resolver}.lease-majority.lease-name", "")?.Trim();
        if (string.IsNullOrEmpty(name)) name = $"{system.Name}-akka-sbr";
        system.ActorOf(DowningLeaseKeeper.Props(name, implementation), LighthouseNames.DowningLeaseKeeper);
    }
}
