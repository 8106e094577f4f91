using Akka.Actor;
using Akka.Cluster;
using Akka.Coordination;
using Lighthouse.Protocol;

namespace Lighthouse.Membership;

/// <summary>
/// The split-brain resolver's lease on a member that cannot reach the lease's store (a worker: it has no database
/// credentials, yet it may be the cluster's leader, which is the member whose resolver decides). It asks the scheduler
/// hosts it can reach, oldest first, to take the lease for it (<see cref="DowningLeaseKeeper"/>); the first answer
/// decides. A member that reaches no host gets no lease, so the resolver downs its own side, which has no scheduler.
/// <para>
/// Configured as <c>lease-class</c> of the section <see cref="ConfigPath"/> (<c>lighthouse-worker</c> does so when its
/// <c>akka.cluster.split-brain-resolver.active-strategy</c> is <c>lease-majority</c>).
/// </para>
/// </summary>
public sealed class DelegatedLease : Lease
{
    /// <summary>The configuration section of this lease.</summary>
    public const string ConfigPath = "lighthouse.delegated-lease";

    private readonly ExtendedActorSystem _system;
    private readonly string _owner;
    private volatile Address? _grantor;
    private long _validUntil;

    public DelegatedLease(LeaseSettings settings, ExtendedActorSystem system)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        _system = system;
        _owner = $"{settings.OwnerName}#{Cluster.Get(system).SelfUniqueAddress.Uid}";
    }

    public override Task<bool> Acquire() => Acquire(null!);

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        var cluster = Cluster.Get(_system);
        var state = cluster.State;
        var hosts = state.Members
            .Where(m => m.HasRole(LighthouseNames.SchedulerRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving && !state.Unreachable.Contains(m))
            .OrderBy(m => m, Member.AgeOrdering)
            .Select(m => m.Address)
            .ToList();
        foreach (var host in hosts)
        {
            var sent = TimeProvider.System.GetTimestamp();
            try
            {
                var answer = await Keeper(host).Ask<DowningLeaseAnswer>(new AcquireDowningLease(Settings.LeaseName, _owner), Settings.TimeoutSettings.OperationTimeout).ConfigureAwait(false);
                if (answer.Held)
                {
                    // The host renews it from now on; believed here for one time to live, then asked again.
                    Volatile.Write(ref _validUntil, sent + (long)(Settings.TimeoutSettings.HeartbeatTimeout.TotalSeconds * TimeProvider.System.TimestampFrequency));
                    _grantor = host;
                }
                // A host that answered has asked the store: the others would hear the same.
                return answer.Held;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // That host did not answer in time: ask the next.
            }
        }
        return false;
    }

    public override bool CheckLease() => _grantor is not null && TimeProvider.System.GetTimestamp() < Volatile.Read(ref _validUntil);

    public override async Task<bool> Release()
    {
        var grantor = _grantor;
        _grantor = null;
        if (grantor is null) return true;
        try
        {
            await Keeper(grantor).Ask<DowningLeaseAnswer>(new ReleaseDowningLease(Settings.LeaseName, _owner), Settings.TimeoutSettings.OperationTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // The host is gone: the lease expires on its own.
            return false;
        }
    }

    private ActorSelection Keeper(Address host) => _system.ActorSelection(new RootActorPath(host) / "user" / LighthouseNames.DowningLeaseKeeper);
}
