namespace Lighthouse.Protocol;

// Membership: how a host makes sure each member of a TLS cluster holds a certificate of the role it joined with. Mutual
// TLS lets in any certificate of the cluster's CA that a host talks to (client and admin ones too), and Akka lets any
// such peer join the cluster with the roles it likes, so a host challenges every new member's responder
// (LighthouseNames.MembershipResponderPath) and downs the ones that cannot prove their role. Only on a system with TLS
// credentials. See docs/authorization.md.

/// <summary>
/// A host's challenge to a cluster member: sign <paramref name="Nonce"/> (16 random bytes) with your certificate's key,
/// together with your own cluster address. Answered by <see cref="MembershipProof"/>.
/// </summary>
public sealed record ProveMembership(byte[] Nonce);

/// <summary>
/// A member's answer to <see cref="ProveMembership"/>: <paramref name="Nonce"/> as challenged, its certificate (DER) and
/// an ECDSA/SHA-256 signature with that certificate's key over a fixed purpose, the nonce and the member's own cluster
/// address (see <c>Lighthouse.Security.MemberProof</c>).
/// </summary>
public sealed record MembershipProof(byte[] Nonce, byte[] Certificate, byte[] Signature);
