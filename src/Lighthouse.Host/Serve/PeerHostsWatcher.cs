using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Lighthouse.Hosting;

namespace Lighthouse.Host.Serve;

/// <summary>
/// Keeps the addresses of the other scheduler hosts this member has seen in the cluster, so that a host the cluster
/// removes (downed while paused) can join again through them as a standby even when it started the cluster itself and
/// has no seeds of its own. A member that left or was removed is forgotten; one that is merely unreachable is kept
/// (from a paused host's side, every other host looks unreachable when it wakes).
/// </summary>
internal sealed class PeerHostsWatcher : ReceiveActor
{
    public PeerHostsWatcher(ConcurrentDictionary<Address, byte> peers)
    {
        var self = Cluster.Get(Context.System).SelfAddress;
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.HasRole(LighthouseNames.SchedulerRole) && up.Member.Address != self) peers[up.Member.Address] = 0;
        });
        Receive<ClusterEvent.MemberRemoved>(removed => peers.TryRemove(removed.Member.Address, out _));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        // A member shutting down is told that every member was removed (its view ends empty): those are not departures.
        Receive<ClusterEvent.ClusterShuttingDown>(_ => Become(() => ReceiveAny(_ => { })));
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.ClusterShuttingDown));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
