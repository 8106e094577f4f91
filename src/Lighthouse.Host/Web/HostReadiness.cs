using Akka.Actor;
using Akka.Cluster;

namespace Lighthouse.Host.Web;

/// <summary>
/// Whether this host can reach the scheduler at all: a host that has not joined the cluster yet (starting, or
/// restarted and still joining), or is leaving or was removed, has no way to the scheduler singleton, so a request
/// would only wait for the ask timeout. Such requests are answered 503 with <c>Retry-After</c> at once instead, and a
/// caller (or a load balancer) tries another host.
/// </summary>
internal static class HostReadiness
{
    /// <summary>A check that returns why this host cannot serve now, or null when it can; always null outside a cluster.</summary>
    public static Func<string?> Of(ActorSystem system)
    {
        if (((ExtendedActorSystem)system).Provider is not ClusterActorRefProvider) return static () => null;
        var cluster = Cluster.Get(system);
        return () => Reason(cluster.SelfMember.Status);
    }

    public static string? Reason(MemberStatus status) => status switch
    {
        MemberStatus.Up or MemberStatus.WeaklyUp => null,
        MemberStatus.Joining => "this host has not joined the cluster yet; try again, or another host",
        MemberStatus.Leaving or MemberStatus.Exiting => "this host is leaving the cluster; try another host",
        _ => "this host is not a member of the cluster (removed or not yet joined); try again, or another host",
    };
}
