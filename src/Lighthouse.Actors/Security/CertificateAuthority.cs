using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lighthouse.Security;

/// <summary>
/// A private certificate authority for one Lighthouse cluster, made with .NET's own X.509 APIs: what
/// <c>lighthouse certs ca</c> and <c>lighthouse certs issue</c> run. Keys are ECDSA P-256 (small, and fast to
/// handshake); every issued certificate is good for both ends of a TLS connection (server and client
/// authentication), because every Akka node both listens and dials.
/// </summary>
public static class CertificateAuthority
{
    /// <summary>How long a new authority is valid by default.</summary>
    public static readonly TimeSpan DefaultAuthorityValidity = TimeSpan.FromDays(3650);

    /// <summary>How long an issued certificate is valid by default.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A new self-signed authority (with its private key) named <paramref name="name"/>.</summary>
    public static X509Certificate2 Create(string name = "Lighthouse CA", TimeSpan? validity = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(name, role: null), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now + (validity ?? DefaultAuthorityValidity));
    }

    /// <summary>
    /// A certificate (with its private key) for <paramref name="identity"/>, signed by <paramref name="authority"/>
    /// (which must hold its private key). Subject alternative names default to the identity's name, <c>localhost</c>
    /// and <c>127.0.0.1</c>; entries of <paramref name="alternativeNames"/> that parse as IP addresses become IP
    /// entries, the rest DNS names.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, CertificateIdentity identity, IEnumerable<string>? alternativeNames = null, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(identity);
        if (!authority.HasPrivateKey) throw new ArgumentException("the authority's private key is needed to sign", nameof(authority));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(identity.Name, identity.Role.Name()), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(AlternativeNames(identity.Name, alternativeNames));
        request.CertificateExtensions.Add(identity.ToExtension());

        var now = DateTimeOffset.UtcNow;
        var notAfter = now + (validity ?? DefaultValidity);
        if (notAfter > authority.NotAfter) notAfter = authority.NotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var signed = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    private static X509Extension AlternativeNames(string name, IEnumerable<string>? extra)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in new[] { name, "localhost", "127.0.0.1" }.Concat(extra ?? []))
        {
            if (string.IsNullOrWhiteSpace(entry) || !seen.Add(entry)) continue;
            if (IPAddress.TryParse(entry, out var address)) builder.AddIpAddress(address);
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns) builder.AddDnsName(entry);
            // A name that is no DNS name (a worker called "vm:4053") is still the certificate's CN and identity,
            // only not an alternative name: TLS host-name checks never look for it.
        }
        return builder.Build();
    }

    /// <summary>
    /// <c>CN=name, OU=role, O=Lighthouse</c>, built attribute by attribute rather than parsed from a string, so that
    /// no character of a name (a quote, a comma, "O=...") can break the subject or add an attribute to it.
    /// </summary>
    private static X500DistinguishedName Subject(string name, string? role)
    {
        // Added in the order shown (Subject); the builder encodes them the other way round, as X.500 wants (O outermost).
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        if (role is not null) builder.AddOrganizationalUnitName(role);
        builder.AddOrganizationName("Lighthouse");
        return builder.Build();
    }
}
