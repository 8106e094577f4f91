using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lighthouse.Security;

/// <summary>
/// One node's TLS material, loaded from PEM files: its own certificate with the private key, and the authority
/// that every peer's certificate must chain to. <see cref="Verify"/> is the one check every Lighthouse peer applies
/// to the other side of a connection, and to a certificate offered in an identity handshake.
/// </summary>
public sealed class TlsCredentials
{
    private TlsCredentials(X509Certificate2 certificate, X509Certificate2 authority, CertificateIdentity identity)
    {
        Certificate = certificate;
        Authority = authority;
        Identity = identity;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster's certificate authority (no key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Who <see cref="Certificate"/> says this node is.</summary>
    public CertificateIdentity Identity { get; }

    /// <summary>
    /// Reads <paramref name="certificatePath"/>, <paramref name="keyPath"/> and <paramref name="authorityPath"/> (PEM) and
    /// checks that they belong together: the key matches the certificate, the certificate chains to the authority
    /// and is valid now, and it carries a Lighthouse identity. Throws <see cref="TlsConfigurationException"/> naming
    /// the file and what is wrong.
    /// </summary>
    public static TlsCredentials Load(string certificatePath, string keyPath, string authorityPath)
    {
        foreach (var (path, what) in new[] { (certificatePath, "certificate"), (keyPath, "key"), (authorityPath, "CA certificate") })
        {
            if (string.IsNullOrWhiteSpace(path)) throw new TlsConfigurationException($"TLS needs a {what} file, and none was given");
            if (!File.Exists(path)) throw new TlsConfigurationException($"TLS {what} file {path} does not exist");
        }
        X509Certificate2 certificate;
        try
        {
            using var fromPem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Through PKCS#12 so the key is usable by SslStream on every platform (Windows refuses ephemeral keys).
            certificate = X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception bad) when (bad is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that belongs to another certificate.
            throw new TlsConfigurationException($"TLS certificate {certificatePath} with key {keyPath} cannot be loaded: {bad.Message}", bad);
        }
        X509Certificate2 authority;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(authorityPath);
        }
        catch (CryptographicException bad)
        {
            throw new TlsConfigurationException($"TLS CA certificate {authorityPath} cannot be loaded: {bad.Message}", bad);
        }
        var credentials = FromCertificates(certificate, authority);
        if (credentials.Verify(certificate, null, out var problem) is null)
            throw new TlsConfigurationException($"TLS certificate {certificatePath} does not fit CA {authorityPath}: {problem}");
        return credentials;
    }

    /// <summary>Credentials from certificates already in memory (tests, programs that keep keys elsewhere); <paramref name="certificate"/> must hold its private key.</summary>
    public static TlsCredentials FromCertificates(X509Certificate2 certificate, X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authority);
        if (!certificate.HasPrivateKey) throw new TlsConfigurationException($"TLS certificate \"{certificate.Subject}\" has no private key");
        var identity = CertificateIdentity.Read(certificate, out var problem) ?? throw new TlsConfigurationException("TLS " + problem);
        return new TlsCredentials(certificate, authority, identity);
    }

    /// <summary>
    /// Checks <paramref name="peer"/>: it chains to <see cref="Authority"/> (and to nothing else: the system's trusted
    /// roots do not count), is valid now, and carries a Lighthouse identity. Returns that identity, or null with
    /// <paramref name="problem"/> saying why not. <paramref name="intermediates"/> are other certificates the peer sent.
    /// </summary>
    public CertificateIdentity? Verify(X509Certificate2 peer, X509Certificate2Collection? intermediates, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        // A private authority publishes no revocation lists: a lost key is handled by a new authority (docs/security.md).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (intermediates is not null) chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        if (!chain.Build(peer))
        {
            var reasons = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList();
            var why = reasons.Count == 0 ? "it does not chain to this cluster's CA" : string.Join("; ", reasons);
            problem = $"certificate \"{peer.Subject}\" (issued by \"{peer.Issuer}\") is not accepted: {why}";
            return null;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(Authority.RawDataMemory.Span))
        {
            problem = $"certificate \"{peer.Subject}\" chains to \"{root.Subject}\", not to this cluster's CA \"{Authority.Subject}\"";
            return null;
        }
        return CertificateIdentity.Read(peer, out problem);
    }
}
