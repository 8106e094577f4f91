namespace Lighthouse.Protocol;

// Sessions: how a participant of a TLS cluster proves to the scheduler which certificate it holds, and how every
// later message carries that proof. Mutual TLS says only "this connection's peer has one of our certificates";
// Akka does not tell an actor which connection a message came over, and the sender path is the peer's to write.
// So a participant signs a fresh challenge with its certificate's key once (OpenSession), gets a random token back,
// and wraps what it sends in Authorized with that token, the way Nomad carries an ACL token in every RPC. Only on
// a system with TLS credentials: a plaintext cluster never sees these messages. See docs/authorization.md.

/// <summary>
/// Asks the scheduler for a session: <paramref name="Certificate"/> (DER) is the sender's certificate, and
/// <paramref name="Signature"/> is made with its private key over a fixed purpose, <paramref name="Nonce"/> (16 random
/// bytes) and <paramref name="IssuedAtUnixMs"/> (see <c>Lighthouse.Security.SessionProof</c>). Answered by
/// <see cref="SessionOpened"/> or <see cref="SessionRefused"/>.
/// </summary>
public sealed record OpenSession(byte[] Certificate, long IssuedAtUnixMs, byte[] Nonce, byte[] Signature);

/// <summary>The session is open: wrap each message in <see cref="Authorized"/> with <paramref name="Token"/>; <paramref name="Identity"/> says who the scheduler took the sender for (for logs).</summary>
public sealed record SessionOpened(string Token, string Identity);

/// <summary>The proof was not accepted; <paramref name="Reason"/> says why (the certificate, the signature, the clock, a replay).</summary>
public sealed record SessionRefused(string Reason);

/// <summary>
/// One message sent in the session of <paramref name="Token"/>: a protocol message, a <see cref="CorrelatedRequest"/>
/// or a <see cref="MessageBatch"/> of them. Also what the scheduler wraps its messages to a worker in, with that
/// worker's token, so the worker knows they come from the scheduler it opened the session with.
/// Never inside a batch or another <see cref="Authorized"/>.
/// </summary>
public sealed record Authorized(string Token, object Message);

/// <summary>
/// The answer to a message the scheduler refused (correlated like any answer when it came in a <see cref="CorrelatedRequest"/>).
/// <paramref name="SessionUnknown"/>: the token is unknown or expired (the scheduler restarted or moved): open a new
/// session and send again. Otherwise the identity may not do this, and <paramref name="Reason"/> starts with "permission denied".
/// </summary>
public sealed record NotAuthorized(string Reason, bool SessionUnknown);
