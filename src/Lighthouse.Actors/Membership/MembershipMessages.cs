using Akka.Actor;

namespace Lighthouse.Membership;

// The guard's own messages: local only, no wire codec, so no peer can send them.

/// <summary>Time to send challenges again and to give up on silent members.</summary>
internal sealed record CheckChallenges
{
    public static CheckChallenges Instance { get; } = new();
}

/// <summary>Asks the guard which members it has admitted; answered with <see cref="AdmittedMembers"/>.</summary>
public sealed record GetAdmittedMembers
{
    public static GetAdmittedMembers Instance { get; } = new();
}

/// <summary>The members the guard admitted (and that have not left since).</summary>
public sealed record AdmittedMembers(IReadOnlySet<Address> Members);

/// <summary>
/// How long the guard gives a member to prove itself: a challenge every <paramref name="RetryInterval"/>, and down after
/// <paramref name="Deadline"/> without a valid answer.
/// </summary>
public sealed record MembershipGuardSettings(TimeSpan RetryInterval, TimeSpan Deadline)
{
    /// <summary>A challenge a second for ten seconds: a joining worker starts its responder well within that.</summary>
    public static MembershipGuardSettings Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
}
