using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lighthouse.Security;

/// <summary>
/// The signing and checking that every proof of possession shares (<see cref="SessionProof"/>, <see cref="MemberProof"/>):
/// an ECDSA/SHA-256 signature with a certificate's private key, and on the other side reading the certificate sent,
/// checking it against the cluster's CA and its signature over the same bytes. Each proof decides what is signed.
/// </summary>
internal static class CertificateSignature
{
    /// <summary>Signs <paramref name="bytes"/> with the key of <paramref name="credentials"/>; <paramref name="purpose"/> says what for, in the error when there is no ECDSA key.</summary>
    public static byte[] Sign(TlsCredentials credentials, byte[] bytes, string purpose)
    {
        using var key = credentials.Certificate.GetECDsaPrivateKey()
            ?? throw new TlsConfigurationException($"TLS certificate \"{credentials.Certificate.Subject}\" has no ECDSA private key to {purpose} with");
        return key.SignData(bytes, HashAlgorithmName.SHA256);
    }

    /// <summary>
    /// Reads <paramref name="certificateDer"/>, checks it against the CA of <paramref name="credentials"/> and that
    /// <paramref name="signature"/> is its key's over <paramref name="signedBytes"/>. Returns the identity, or null with
    /// <paramref name="problem"/>; <paramref name="what"/> names the proof in messages, <paramref name="unsigned"/> says
    /// what a bad signature means.
    /// </summary>
    public static CertificateIdentity? Verify(byte[] certificateDer, byte[] signedBytes, byte[] signature, TlsCredentials credentials,
        string what, Func<X509Certificate2, CertificateIdentity, string> unsigned, out string? problem)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException bad)
        {
            problem = $"{what}'s certificate cannot be read: {bad.Message}";
            return null;
        }
        using (certificate)
        {
            var identity = credentials.Verify(certificate, null, out problem);
            if (identity is null) return null;
            using var key = certificate.GetECDsaPublicKey();
            if (key is null)
            {
                problem = $"certificate \"{certificate.Subject}\" has no ECDSA key";
                return null;
            }
            if (!key.VerifyData(signedBytes, signature, HashAlgorithmName.SHA256))
            {
                problem = unsigned(certificate, identity);
                return null;
            }
            problem = null;
            return identity;
        }
    }
}
