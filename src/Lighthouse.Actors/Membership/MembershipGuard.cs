using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Membership;

/// <summary>
/// A host's watch over who is a cluster member (TLS clusters only). Every member that joins, other than this node, is
/// challenged at its <see cref="MembershipResponder"/> until it proves, with its certificate's key, that it holds a
/// certificate of the cluster's CA whose role justifies its cluster roles (<see cref="MembershipRules"/>); a member that
/// fails, or does not answer within the deadline, is downed with one log line saying why. Every host runs one, and
/// downing a member twice is harmless. The bookkeeping is <see cref="MembershipChallenges"/>'.
/// </summary>
internal sealed class MembershipGuard : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly MembershipChallenges _challenges;
    private readonly TimeSpan _retryInterval;

    public MembershipGuard(TlsCredentials credentials, MembershipGuardSettings settings)
    {
        _challenges = new MembershipChallenges(credentials, settings.RetryInterval, settings.Deadline);
        _retryInterval = settings.RetryInterval;
        Receive<ClusterEvent.MemberJoined>(e => Challenge(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Challenge(e.Member));
        Receive<ClusterEvent.MemberUp>(e => Challenge(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => _challenges.Forget(e.Member.Address));
        Receive<MembershipProof>(proof =>
        {
            if (_challenges.Answer(proof) is { } verdict) Conclude(verdict);
        });
        Receive<CheckChallenges>(_ =>
        {
            var (resend, expired) = _challenges.Due(DateTimeOffset.UtcNow);
            foreach (var (member, nonce) in resend) Send(member, nonce);
            foreach (var verdict in expired) Conclude(verdict);
        });
        Receive<GetAdmittedMembers>(_ => Sender.Tell(new AdmittedMembers(_challenges.Admitted.ToHashSet())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TlsCredentials credentials, MembershipGuardSettings settings) =>
        Akka.Actor.Props.Create(() => new MembershipGuard(credentials, settings));

    protected override void PreStart()
    {
        // Members already there arrive first as events: a host that joins a running cluster checks them too.
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberJoined), typeof(ClusterEvent.MemberWeaklyUp), typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
        Timers.StartPeriodicTimer("check-challenges", CheckChallenges.Instance, _retryInterval);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Challenge(Member member)
    {
        if (member.Address.Equals(_cluster.SelfAddress)) return;
        if (_challenges.Begin(member.Address, member.Roles, DateTimeOffset.UtcNow) is { } nonce) Send(member.Address, nonce);
    }

    private void Send(Address member, byte[] nonce) =>
        Context.ActorSelection(new RootActorPath(member) / "user" / LighthouseNames.MembershipResponder).Tell(new ProveMembership(nonce));

    private void Conclude(MemberVerdict verdict)
    {
        if (verdict.Admitted) return;
        _log.Warning("Downing cluster member {0} (roles {1}): {2}", verdict.Member, string.Join(", ", verdict.Roles), verdict.Refusal);
        _cluster.Down(verdict.Member);
    }
}
