using Akka.Actor;
using Akka.Hosting;

namespace Lighthouse.Worker.Hosting;

/// <summary>Akka.Hosting: a Lighthouse worker in an ActorSystem configured with <c>services.AddAkka(...)</c>.</summary>
public static class WorkerHostingExtensions
{
    /// <summary>
    /// Runs a worker hub in the system, registering with the scheduler singleton through a cluster-singleton proxy
    /// (<see cref="WorkerHub.SchedulerProxy"/>). The system must be a cluster member (<c>WithClustering</c>); give it the
    /// role <see cref="LighthouseNames.WorkerRole"/> so the cluster can tell it is a worker. The options are checked here,
    /// so a bad configuration fails at start-up with an <see cref="ArgumentException"/> naming the problem. The agent is
    /// registered in the <see cref="ActorRegistry"/> under the key <see cref="WorkerHub"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseWorker(this AkkaConfigurationBuilder builder, Action<WorkerHubOptions> configure) =>
        builder.WithLighthouseWorker(configure, (system, _) => WorkerHub.SchedulerProxy(system));

    /// <summary>
    /// Runs <paramref name="hub"/> (already created and checked, e.g. to report its options before start) in the
    /// system, registering with the scheduler singleton through a cluster-singleton proxy.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseWorker(this AkkaConfigurationBuilder builder, WorkerHub hub) =>
        builder.WithLighthouseWorker(hub, (system, _) => WorkerHub.SchedulerProxy(system));

    /// <summary>
    /// Runs a worker hub in the system, registering with the scheduler that <paramref name="scheduler"/> finds: for a
    /// process that already holds the scheduler or a proxy to it, e.g. a host running a local worker in-process.
    /// </summary>
    public static AkkaConfigurationBuilder WithLighthouseWorker(
        this AkkaConfigurationBuilder builder,
        Action<WorkerHubOptions> configure,
        Func<ActorSystem, IActorRegistry, IActorRef> scheduler)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.WithLighthouseWorker(WorkerHub.Create(configure), scheduler);
    }

    /// <summary>Runs <paramref name="hub"/> in the system, registering with the scheduler that <paramref name="scheduler"/> finds.</summary>
    public static AkkaConfigurationBuilder WithLighthouseWorker(
        this AkkaConfigurationBuilder builder,
        WorkerHub hub,
        Func<ActorSystem, IActorRegistry, IActorRef> scheduler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(scheduler);
        // Every node of a Lighthouse cluster reads the protocol with the same serializer and frame; Append keeps the
        // user's own settings first (WorkerHub.Start checks that they can carry Lighthouse's messages).
        builder.AddHocon(LighthouseConfig.Defaults, HoconAddMode.Append);
        builder.WithActors((system, registry) => registry.Register<WorkerHub>(hub.Start(system, scheduler(system, registry))));
        return builder;
    }
}
