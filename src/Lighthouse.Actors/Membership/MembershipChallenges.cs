using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Membership;

/// <summary>What the guard concluded about one member: admitted (<see cref="Refusal"/> null) or to be downed, and why.</summary>
public sealed record MemberVerdict(Address Member, IReadOnlyList<string> Roles, string? Refusal)
{
    public bool Admitted => Refusal is null;
}

/// <summary>
/// The guard's book of challenges: one per member that joined and has not proved itself yet, sent again every
/// <paramref name="retryInterval"/> (a joining member may start its responder after it joined, and a message to a
/// member not yet connected can be lost) until an answer settles it or <paramref name="deadline"/> passes. Answers
/// are matched by their nonce, never by their sender path (a peer's to write), so only the challenged member, which
/// alone received the nonce, can settle its own challenge. Not thread-safe: one owner (an actor).
/// </summary>
public sealed class MembershipChallenges(TlsCredentials credentials, TimeSpan retryInterval, TimeSpan deadline)
{
    private sealed class Pending(Address member, IReadOnlyList<string> roles, byte[] nonce, DateTimeOffset giveUpAt, DateTimeOffset nextSend)
    {
        public Address Member { get; } = member;
        public IReadOnlyList<string> Roles { get; } = roles;
        public byte[] Nonce { get; } = nonce;
        public DateTimeOffset GiveUpAt { get; } = giveUpAt;
        public DateTimeOffset NextSend { get; set; } = nextSend;
    }

    private readonly Dictionary<Address, Pending> _pending = [];
    private readonly Dictionary<string, Pending> _byNonce = new(StringComparer.Ordinal);
    private readonly HashSet<Address> _settled = [];
    private readonly HashSet<Address> _admitted = [];

    /// <summary>The members admitted so far (and not removed since).</summary>
    public IReadOnlySet<Address> Admitted => _admitted;

    /// <summary>Challenges awaiting an answer.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// A member with <paramref name="roles"/> appeared at <paramref name="now"/>: the nonce to challenge it with, or null
    /// when it is already challenged or settled (membership events repeat as a member moves from joining to up).
    /// </summary>
    public byte[]? Begin(Address member, IEnumerable<string> roles, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (_pending.ContainsKey(member) || _settled.Contains(member)) return null;
        var pending = new Pending(member, roles.Order(StringComparer.Ordinal).ToList(), MemberProof.NewNonce(), now + deadline, now + retryInterval);
        _pending[member] = pending;
        _byNonce[Convert.ToBase64String(pending.Nonce)] = pending;
        return pending.Nonce;
    }

    /// <summary>The verdict <paramref name="proof"/> settles, or null when it answers no open challenge (late, repeated, made up).</summary>
    public MemberVerdict? Answer(MembershipProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Nonce is not { Length: MemberProof.NonceLength } || !_byNonce.TryGetValue(Convert.ToBase64String(proof.Nonce), out var pending)) return null;
        var refusal = MembershipRules.Refusal(proof, pending.Nonce, pending.Member.ToString(), pending.Roles, credentials, out _);
        return Settle(pending, refusal);
    }

    /// <summary>At <paramref name="now"/>: the challenges to send again, and the members whose time ran out.</summary>
    public (IReadOnlyList<(Address Member, byte[] Nonce)> Resend, IReadOnlyList<MemberVerdict> Expired) Due(DateTimeOffset now)
    {
        var resend = new List<(Address, byte[])>();
        var expired = new List<MemberVerdict>();
        foreach (var pending in _pending.Values.ToList())
        {
            if (now >= pending.GiveUpAt)
            {
                expired.Add(Settle(pending, $"it did not prove its membership within {deadline.TotalSeconds:0.#} s (no Lighthouse membership responder answered)"));
            }
            else if (now >= pending.NextSend)
            {
                pending.NextSend = now + retryInterval;
                resend.Add((pending.Member, pending.Nonce));
            }
        }
        return (resend, expired);
    }

    /// <summary>The member left the cluster: forget it, so that a new member at its address is challenged afresh.</summary>
    public void Forget(Address member)
    {
        if (_pending.Remove(member, out var pending)) _byNonce.Remove(Convert.ToBase64String(pending.Nonce));
        _settled.Remove(member);
        _admitted.Remove(member);
    }

    private MemberVerdict Settle(Pending pending, string? refusal)
    {
        _pending.Remove(pending.Member);
        _byNonce.Remove(Convert.ToBase64String(pending.Nonce));
        _settled.Add(pending.Member);
        if (refusal is null) _admitted.Add(pending.Member);
        return new MemberVerdict(pending.Member, pending.Roles, refusal);
    }
}
