namespace Lighthouse.Worker;

/// <summary>
/// The names a worker and the host must agree on to find each other in a cluster. Kept in one place so
/// the host (which runs the scheduler singleton) and every worker read the same spelling.
/// </summary>
public static class LighthouseNames
{
    /// <summary>The ActorSystem name: Akka only joins nodes of the same system name into one cluster.</summary>
    public const string ActorSystem = "lighthouse";

    /// <summary>The cluster role of nodes that may host the scheduler singleton.</summary>
    public const string SchedulerRole = "scheduler";

    /// <summary>The cluster role of worker nodes.</summary>
    public const string WorkerRole = "worker";

    /// <summary>The name of the scheduler's ClusterSingletonManager under <c>/user</c>.</summary>
    public const string SchedulerManager = "lighthouse-scheduler";

    /// <summary>The path of the scheduler's singleton manager, where a proxy looks for the scheduler.</summary>
    public const string SchedulerManagerPath = "/user/" + SchedulerManager;

    /// <summary>The name of the scheduler under its manager (Akka's default singleton name).</summary>
    public const string SchedulerSingleton = "singleton";

    /// <summary>The name of the worker's proxy to the scheduler singleton under <c>/user</c>.</summary>
    public const string WorkerSchedulerProxy = "lighthouse-worker-scheduler-proxy";

    /// <summary>The name of the worker agent under <c>/user</c>.</summary>
    public const string WorkerAgent = "lighthouse-worker";

    /// <summary>The cluster port of the host; the worker's default seed is this port on 127.0.0.1.</summary>
    public const int DefaultClusterPort = 4053;
}
