using Akka.Actor;
using Akka.Cluster;
using Akka.Coordination;
using Akka.Event;
using Lighthouse.Protocol;

namespace Lighthouse.Membership;

/// <summary>
/// On a scheduler host whose split-brain resolver uses <c>lease-majority</c>: takes the downing lease for a member that
/// cannot reach the lease's store itself (a worker that happens to be the cluster's leader; see
/// <see cref="DelegatedLease"/>). Only a current cluster member may ask, only for itself (the owner is its own address
/// and uid) and only for the resolver's lease. The lease is renewed from here until the member gives it back, or
/// leaves the cluster (downed or removed: it can give back nothing then); if this host dies, it expires.
/// </summary>
public sealed class DowningLeaseKeeper : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _leaseName;
    private readonly string _leaseConfigPath;
    private readonly Cluster _cluster = Cluster.Get(Context.System);

    // Leases taken for members, by owner, with the member's address.
    private readonly Dictionary<string, (Address Member, Lease Lease)> _taken = [];

    public DowningLeaseKeeper(string leaseName, string leaseConfigPath)
    {
        _leaseName = leaseName;
        _leaseConfigPath = leaseConfigPath;
        Receive<AcquireDowningLease>(Acquire);
        Receive<ReleaseDowningLease>(Release);
        Receive<ClusterEvent.MemberRemoved>(removed => Forget(removed.Member.Address, "removed from the cluster"));
        Receive<ClusterEvent.MemberDowned>(downed => Forget(downed.Member.Address, "downed"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    public static Props Props(string leaseName, string leaseConfigPath) =>
        Akka.Actor.Props.Create(() => new DowningLeaseKeeper(leaseName, leaseConfigPath));

    protected override void PreStart() => _cluster.Subscribe(Self, typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberDowned));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Acquire(AcquireDowningLease request)
    {
        if (Refusal(request.LeaseName, request.Owner) is { } refusal)
        {
            _log.Warning("refusing to take the downing lease \"{0}\" for {1} (asked by {2}): {3}", request.LeaseName, request.Owner, Sender.Path.Address, refusal);
            Sender.Tell(new DowningLeaseAnswer(request.LeaseName, request.Owner, false));
            return;
        }
        var lease = LeaseProvider.Get(Context.System).GetLease(_leaseName, _leaseConfigPath, request.Owner);
        _taken[request.Owner] = (Sender.Path.Address, lease);
        var owner = request.Owner;
        lease.Acquire(_ => { }).ContinueWith(t => new DowningLeaseAnswer(_leaseName, owner, t.IsCompletedSuccessfully && t.Result), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    private void Release(ReleaseDowningLease request)
    {
        if (Refusal(request.LeaseName, request.Owner) is not null)
        {
            Sender.Tell(new DowningLeaseAnswer(request.LeaseName, request.Owner, false));
            return;
        }
        var lease = _taken.Remove(request.Owner, out var taken)
            ? taken.Lease
            : LeaseProvider.Get(Context.System).GetLease(_leaseName, _leaseConfigPath, request.Owner);
        var owner = request.Owner;
        lease.Release().ContinueWith(_ => new DowningLeaseAnswer(_leaseName, owner, false), TaskScheduler.Default).PipeTo(Sender);
    }

    /// <summary>Why a request is refused: another lease, or a sender that is no member or asks for another owner.</summary>
    private string? Refusal(string leaseName, string owner)
    {
        if (leaseName != _leaseName) return $"this host keeps only the lease \"{_leaseName}\"";
        var from = Sender.Path.Address;
        if (!_cluster.State.Members.Any(m => m.Address.Equals(from) && m.Status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.WeaklyUp))
            return "the sender is not a member of this cluster";
        if (!owner.StartsWith(from.HostPort() + "#", StringComparison.Ordinal)) return "a member may take the lease only for itself";
        return null;
    }

    private void Forget(Address member, string why)
    {
        foreach (var (owner, taken) in _taken.Where(t => t.Value.Member.Equals(member)).ToList())
        {
            _taken.Remove(owner);
            _log.Info("giving back the downing lease taken for {0}: it was {1}", owner, why);
            _ = taken.Lease.Release();
        }
    }
}
