using System.Security.Cryptography;
using System.Text;
using Lighthouse.Protocol;

namespace Lighthouse.Security;

/// <summary>
/// The answer to a host's <see cref="ProveMembership"/> challenge: the member's certificate and a signature with its key
/// (ECDSA, SHA-256) over <see cref="Purpose"/>, the host's nonce and the member's own cluster address. The nonce makes it
/// fresh (the host made it a moment ago); the address keeps a member from passing a challenge on to a genuine host and
/// the host's proof off as its own (the host would sign its own address); the purpose, distinct from
/// <see cref="SessionProof.Purpose"/>, keeps a member's answer from opening a session, and a session proof from
/// answering a challenge. Both sides use this class, so the signed bytes are the same by construction.
/// </summary>
public static class MemberProof
{
    /// <summary>What the signature is for; versioned, so a later proof format cannot be mistaken for this one.</summary>
    public const string Purpose = "lighthouse membership proof v1";

    /// <summary>The challenge nonce's length in bytes.</summary>
    public const int NonceLength = 16;

    private static readonly byte[] PurposeBytes = Encoding.UTF8.GetBytes(Purpose);

    /// <summary>A new challenge nonce.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    /// <summary>The proof that the holder of <paramref name="credentials"/> is the member at <paramref name="selfAddress"/> (its cluster address, as <c>Address.ToString()</c> writes it).</summary>
    public static MembershipProof Create(TlsCredentials credentials, byte[] nonce, string selfAddress)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentException.ThrowIfNullOrEmpty(selfAddress);
        if (nonce.Length != NonceLength) throw new ArgumentException($"a membership challenge's nonce must be {NonceLength} bytes, not {nonce.Length}", nameof(nonce));
        return new MembershipProof(nonce, credentials.Certificate.RawData,
            CertificateSignature.Sign(credentials, SignedBytes(nonce, selfAddress), "prove membership"));
    }

    /// <summary>
    /// Checks <paramref name="proof"/>, the answer to the challenge <paramref name="nonce"/> sent to the member at
    /// <paramref name="memberAddress"/>, against the authority of <paramref name="credentials"/>: the nonce is that one,
    /// the certificate chains to the CA and carries an identity, and the signature is that certificate key's over this
    /// nonce and this address. Returns the identity, or null with <paramref name="problem"/>.
    /// </summary>
    public static CertificateIdentity? Verify(MembershipProof proof, byte[] nonce, string memberAddress, TlsCredentials credentials, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(memberAddress);
        ArgumentNullException.ThrowIfNull(credentials);
        if (proof.Nonce is null || !CryptographicOperations.FixedTimeEquals(proof.Nonce, nonce))
        {
            problem = "the membership proof answers another challenge";
            return null;
        }
        if (proof.Certificate is null || proof.Signature is null)
        {
            problem = "the membership proof has no certificate or no signature";
            return null;
        }
        return CertificateSignature.Verify(proof.Certificate, SignedBytes(nonce, memberAddress), proof.Signature, credentials, "the membership proof",
            (_, identity) => $"the membership proof of {identity} is not signed with that certificate's key for this challenge and the address {memberAddress} " +
                             "(a proof made by another node, or for another address)",
            out problem);
    }

    /// <summary>Purpose, then the nonce (fixed length), then the address in UTF-8.</summary>
    private static byte[] SignedBytes(byte[] nonce, string address)
    {
        var addressBytes = Encoding.UTF8.GetBytes(address);
        var bytes = new byte[PurposeBytes.Length + nonce.Length + addressBytes.Length];
        PurposeBytes.CopyTo(bytes, 0);
        nonce.CopyTo(bytes, PurposeBytes.Length);
        addressBytes.CopyTo(bytes, PurposeBytes.Length + nonce.Length);
        return bytes;
    }
}
