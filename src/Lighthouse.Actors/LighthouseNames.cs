namespace Lighthouse;

/// <summary>
/// The names the host, the workers and the clients must agree on to find each other. Kept in one
/// place so every side reads the same spelling.
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

    /// <summary>
    /// The name, under <c>/user</c>, of the host's proxy to the scheduler singleton. The host registers
    /// it with the ClusterClientReceptionist, so remote clients send to <see cref="SchedulerProxyPath"/>.
    /// </summary>
    public const string SchedulerProxy = "lighthouse-scheduler-proxy";

    /// <summary>The receptionist service path remote clients send to.</summary>
    public const string SchedulerProxyPath = "/user/" + SchedulerProxy;

    /// <summary>The name of the worker's proxy to the scheduler singleton under <c>/user</c>.</summary>
    public const string WorkerSchedulerProxy = "lighthouse-worker-scheduler-proxy";

    /// <summary>The name of the worker agent under <c>/user</c>.</summary>
    public const string WorkerAgent = "lighthouse-worker";

    /// <summary>
    /// The name, under <c>/user</c>, of the actor on every member of a TLS cluster that answers a host's membership
    /// challenge (<see cref="Protocol.ProveMembership"/>).
    /// </summary>
    public const string MembershipResponder = "lighthouse-membership";

    /// <summary>The path hosts send membership challenges to.</summary>
    public const string MembershipResponderPath = "/user/" + MembershipResponder;

    /// <summary>The name, under <c>/user</c>, of a host's guard that challenges and downs members.</summary>
    public const string MembershipGuard = "lighthouse-membership-guard";

    /// <summary>
    /// The name, under <c>/user</c>, of a scheduler host's keeper of the downing lease, which takes the split-brain
    /// resolver's lease for members that cannot reach its store (<see cref="Protocol.AcquireDowningLease"/>).
    /// </summary>
    public const string DowningLeaseKeeper = "lighthouse-downing-lease";

    /// <summary>The name, under <c>/user</c>, of the short-lived actor that opens the journal on a scheduler host at start (<see cref="Persistence.JournalWarmup"/>).</summary>
    public const string JournalWarmup = "lighthouse-journal-warmup";

    /// <summary>The cluster port of the host; the default seed of workers and the default target of clients.</summary>
    public const int DefaultClusterPort = 4053;

    /// <summary>The HTTP port of the host's monitor and API.</summary>
    public const int DefaultHttpPort = 9000;
}
