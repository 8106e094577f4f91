using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Lighthouse.Protocol;

namespace Lighthouse.Security;

/// <summary>
/// The proof of possession in <see cref="OpenSession"/>: the sender's certificate and a signature made with its private
/// key (ECDSA, SHA-256) over <see cref="Purpose"/>, a fresh nonce and the time it was made. Whoever can send it holds
/// the key, not just a copy of the certificate; the purpose keeps a signature made for anything else from passing as
/// one, the time and nonce keep a recorded one from being replayed (the receiver remembers nonces, see
/// <c>Sessions</c>). Both sides use this class, so the signed bytes are the same by construction.
/// </summary>
public static class SessionProof
{
    /// <summary>What the signature is for; versioned, so a later proof format cannot be mistaken for this one.</summary>
    public const string Purpose = "lighthouse session proof v1";

    /// <summary>The nonce's length in bytes.</summary>
    public const int NonceLength = 16;

    /// <summary>How far the proof's time may be from the receiver's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly byte[] PurposeBytes = Encoding.UTF8.GetBytes(Purpose);

    /// <summary>A new proof for <paramref name="credentials"/>, made at <paramref name="clock"/>'s now (the system clock by default).</summary>
    public static OpenSession Create(TlsCredentials credentials, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var issuedAt = (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        var signature = CertificateSignature.Sign(credentials, SignedBytes(nonce, issuedAt), "prove a session");
        return new OpenSession(credentials.Certificate.RawData, issuedAt, nonce, signature);
    }

    /// <summary>
    /// Checks <paramref name="proof"/> at <paramref name="now"/> against the authority of <paramref name="credentials"/>:
    /// the certificate chains to it and carries an identity, the signature is the certificate key's over this proof, and
    /// the time is within <see cref="MaxClockSkew"/>. Returns the identity, or null with <paramref name="problem"/>.
    /// Replays within the window are the caller's to catch (it remembers nonces).
    /// </summary>
    public static CertificateIdentity? Verify(OpenSession proof, TlsCredentials credentials, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(credentials);
        if (proof.Nonce is not { Length: NonceLength })
        {
            problem = $"the session proof's nonce must be {NonceLength} bytes";
            return null;
        }
        if (proof.Certificate is null || proof.Signature is null)
        {
            problem = "the session proof has no certificate or no signature";
            return null;
        }
        var skew = now - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(proof.IssuedAtUnixMs, -62_135_596_800_000L, 253_402_300_799_999L));
        if (skew.Duration() > MaxClockSkew)
        {
            problem = $"the session proof was made {skew.TotalSeconds:0} s from this host's clock (at most {MaxClockSkew.TotalMinutes:0} min either way): check both clocks";
            return null;
        }
        return CertificateSignature.Verify(proof.Certificate, SignedBytes(proof.Nonce, proof.IssuedAtUnixMs), proof.Signature, credentials,
            "the session proof", (certificate, _) => $"the session proof for \"{certificate.Subject}\" is not signed with that certificate's key", out problem);
    }

    /// <summary>Purpose, then nonce, then the time as 8 bytes big-endian.</summary>
    private static byte[] SignedBytes(byte[] nonce, long issuedAtUnixMs)
    {
        var bytes = new byte[PurposeBytes.Length + nonce.Length + sizeof(long)];
        PurposeBytes.CopyTo(bytes, 0);
        nonce.CopyTo(bytes, PurposeBytes.Length);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(PurposeBytes.Length + nonce.Length), issuedAtUnixMs);
        return bytes;
    }
}
