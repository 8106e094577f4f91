using Akka.Actor;
using Akka.Cluster;

namespace Lighthouse.Hosting;

/// <summary>
/// Why a cluster member cannot reach the scheduler singleton, as far as cluster membership tells: for the warning a
/// worker or an in-cluster client gives instead of waiting in silence.
/// </summary>
public static class SchedulerReachability
{
    /// <summary>
    /// The reason seen from <paramref name="system"/>'s membership, or null when it sees none (not clustered, or a
    /// scheduler member is up and simply has not answered yet).
    /// </summary>
    public static string? WhyUnreachable(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!ClusterHealthWatcher.IsClustered(system)) return null;
        var cluster = Cluster.Get(system);
        var members = cluster.State.Members;
        if (!members.Any(m => m.Address == cluster.SelfAddress && m.Status == MemberStatus.Up))
        {
            var seeds = cluster.Settings.SeedNodes;
            return seeds.Count == 0
                ? "this ActorSystem has not joined a cluster: akka.cluster.seed-nodes is empty and nothing called Cluster.Join; " +
                  $"give it a Lighthouse host as seed, e.g. akka.tcp://{LighthouseNames.ActorSystem}@127.0.0.1:{LighthouseNames.DefaultClusterPort}"
                : $"this ActorSystem has not joined the cluster of its seed nodes ({string.Join(", ", seeds)}): is a Lighthouse host " +
                  $"running there, and is this system named \"{LighthouseNames.ActorSystem}\" like the host's?";
        }
        if (!members.Any(m => m.Status == MemberStatus.Up && m.HasRole(LighthouseNames.SchedulerRole)))
            return $"no member of the cluster is up with the role \"{LighthouseNames.SchedulerRole}\": a Lighthouse host " +
                   "(lighthouse serve, or an application with WithLighthouseScheduler) must run in it";
        return null;
    }
}
