using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Membership;

/// <summary>
/// Answers a host's <see cref="ProveMembership"/> with this member's <see cref="MembershipProof"/>: its certificate and a
/// signature over the nonce and its own cluster address (<see cref="MemberProof"/>). Runs on every Lighthouse member of a
/// TLS cluster at <see cref="LighthouseNames.MembershipResponderPath"/>. It signs for whoever asks, which gives nothing
/// away: the signature names this member's address and a purpose nothing else accepts.
/// </summary>
internal sealed class MembershipResponder : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LogThrottle _badChallenges = new(LogThrottle.DefaultInterval);

    public MembershipResponder(TlsCredentials credentials)
    {
        var self = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<ProveMembership>(challenge =>
        {
            if (challenge.Nonce is { Length: MemberProof.NonceLength })
                Sender.Tell(MemberProof.Create(credentials, challenge.Nonce, self));
            else if (_badChallenges.Allow(out var leftOut))
                _log.Warning("Ignored a membership challenge from {0}: its nonce is not {1} bytes{2}", Sender.Path, MemberProof.NonceLength,
                    leftOut > 0 ? $" ({leftOut} more since the last such line)" : "");
        });
    }

    public static Props Props(TlsCredentials credentials) => Akka.Actor.Props.Create(() => new MembershipResponder(credentials));
}
