using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Scheduling;

namespace Lighthouse.Worker.Tests;

/// <summary>
/// A stand-in for the Lighthouse host on loopback: a one-node cluster (role scheduler, any free port) running the
/// real <see cref="SchedulerActor"/> as a singleton where workers look for it, and a proxy to it for the test's requests.
/// </summary>
internal sealed class ClusterHost : IDisposable
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(5);

    private ClusterHost(ActorSystem system, IActorRef scheduler)
    {
        System = system;
        Scheduler = scheduler;
    }

    public ActorSystem System { get; }

    /// <summary>A proxy to the scheduler singleton.</summary>
    public IActorRef Scheduler { get; }

    public int Port => Cluster.Get(System).SelfAddress.Port!.Value;

    /// <summary>
    /// The HOCON of a loopback cluster node with <paramref name="roles"/> on any free port, reading the protocol with
    /// Lighthouse's serializer.
    /// </summary>
    public static Config NodeConfig(params string[] roles) =>
        ConfigurationFactory.ParseString(
            $$"""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.roles = [{{string.Join(", ", roles)}}]
            akka.cluster.singleton-proxy.log-singleton-identification-failure = false
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(LighthouseSerialization.Configuration);

    public static ClusterHost Start()
    {
        var system = ActorSystem.Create(LighthouseNames.ActorSystem, NodeConfig(LighthouseNames.SchedulerRole));
        StartScheduler(system);
        var cluster = Cluster.Get(system);
        cluster.Join(cluster.SelfAddress);
        return new ClusterHost(system, WorkerHub.SchedulerProxy(system, "test-client-proxy"));
    }

    /// <summary>The scheduler's singleton manager at the path workers look for.</summary>
    public static void StartScheduler(ActorSystem system) =>
        system.ActorOf(ClusterSingletonManager.Props(
            SchedulerActor.Props(SchedulerSettings.Default),
            PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(LighthouseNames.SchedulerRole).WithSingletonName(LighthouseNames.SchedulerSingleton)),
            LighthouseNames.SchedulerManager);

    public static async Task<string> SubmitAsync(IActorRef scheduler, string task, string payload, string user = "alice") =>
        (await scheduler.Ask<SubmissionAccepted>(new SubmitTask(task, payload, user), Ask)).TaskId;

    /// <summary>Lists the user's tasks (collecting none) until <paramref name="done"/> holds, within <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<TaskInfo>> AwaitTasksAsync(IActorRef scheduler, string user, Func<IReadOnlyList<TaskInfo>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var tasks = (await scheduler.Ask<TaskList>(new ListTasks(user), Ask)).Tasks;
            if (done(tasks)) return tasks;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"tasks of {user} not done within {limit}: {string.Join("; ", tasks.Select(t => $"{t.TaskId} {t.State} {t.PendingReason}"))}");
            await Task.Delay(25);
        }
    }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
