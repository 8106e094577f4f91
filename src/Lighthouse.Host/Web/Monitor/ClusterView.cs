using Akka.Actor;
using Akka.Cluster;

namespace Lighthouse.Host.Web.Monitor;

/// <summary>One cluster member as the monitor shows it.</summary>
/// <param name="Status">Akka's member status in lower case: <c>joining</c>, <c>up</c>, <c>leaving</c>, <c>exiting</c>, <c>down</c>, <c>removed</c>, <c>weakly_up</c>, ….</param>
/// <param name="Reachable">False while the failure detector marks it unreachable.</param>
/// <param name="RunsScheduler">It hosts the scheduler singleton: the oldest up member with the scheduler role.</param>
/// <param name="IsSelf">It is the node serving this page.</param>
public sealed record ClusterMemberView(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, bool RunsScheduler, bool IsSelf);

/// <summary>The cluster as this node sees it; <paramref name="Clustered"/> is false for a plain local ActorSystem.</summary>
public sealed record ClusterView(bool Clustered, string Self, string? SchedulerHost, IReadOnlyList<ClusterMemberView> Members)
{
    /// <summary>
    /// Reads the membership of <paramref name="system"/>. Without the cluster provider there is one member, this
    /// process, which runs the scheduler itself.
    /// </summary>
    public static ClusterView Of(ActorSystem system)
    {
        if (((ExtendedActorSystem)system).Provider is not Akka.Cluster.ClusterActorRefProvider)
        {
            var address = ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
            return new ClusterView(false, address, address,
                [new ClusterMemberView(address, "up", true, [LighthouseNames.SchedulerRole], RunsScheduler: true, IsSelf: true)]);
        }

        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable;
        // Akka's singleton lives on the oldest member of its role; leaving members keep it until the hand-over.
        var host = state.Members
            .Where(m => m.HasRole(LighthouseNames.SchedulerRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving)
            .OrderBy(m => m, Member.AgeOrdering)
            .FirstOrDefault();
        var members = state.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new ClusterMemberView(
                m.Address.ToString(),
                StatusName(m.Status),
                !unreachable.Contains(m),
                m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList(),
                host is not null && m.Equals(host),
                m.Address.Equals(cluster.SelfAddress)))
            .ToList();
        return new ClusterView(true, cluster.SelfAddress.ToString(), host?.Address.ToString(), members);
    }

    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly_up",
        _ => status.ToString().ToLowerInvariant(),
    };
}
