namespace Lighthouse.Protocol.Serialization;

/// <summary>Wire encoding of the membership challenge (<c>MembershipProtocol.cs</c>).</summary>
internal static class MembershipCodecs
{
    public static IEnumerable<MessageCodec> All { get; } =
    [
        MessageCodec.For<ProveMembership>("MC",
            static (w, m) => w.WriteBytes(m.Nonce),
            static (ref r) => new ProveMembership(r.ReadBytes("ProveMembership.Nonce")!)),
        MessageCodec.For<MembershipProof>("MA",
            static (w, m) => { w.WriteBytes(m.Nonce); w.WriteBytes(m.Certificate); w.WriteBytes(m.Signature); },
            static (ref r) => new MembershipProof(
                r.ReadBytes("MembershipProof.Nonce")!,
                r.ReadBytes("MembershipProof.Certificate")!,
                r.ReadBytes("MembershipProof.Signature")!)),
    ];
}
