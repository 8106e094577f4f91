using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.IntegrationTests.Security;

/// <summary>
/// A cluster's certificates as PEM files in a temporary directory, made with the library `lighthouse certs` runs:
/// the CA, and one certificate per name and role on demand. <see cref="Stranger"/> is another CA, for peers that
/// are not ours. Deleted on dispose.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private readonly X509Certificate2 _authority;

    public ClusterCertificates(string name = "test cluster CA")
    {
        Directory.CreateDirectory(Root);
        _authority = CertificateAuthority.Create(name);
        AuthorityPath = Path.Combine(Root, "ca.crt");
        PemFiles.WriteCertificate(AuthorityPath, _authority);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "lighthouse-certs-" + Guid.NewGuid().ToString("N")[..12]);

    public string AuthorityPath { get; }

    /// <summary>Writes NAME.crt and NAME.key for <paramref name="role"/>; returns the three TLS flags that use them.</summary>
    public string[] Flags(LighthouseRole role, string name, params string[] users)
    {
        var certificate = CertificateAuthority.Issue(_authority, new CertificateIdentity(role, name, users));
        var certificatePath = Path.Combine(Root, $"{role.Name()}-{name}.crt");
        var keyPath = Path.Combine(Root, $"{role.Name()}-{name}.key");
        PemFiles.WriteCertificate(certificatePath, certificate);
        PemFiles.WritePrivateKey(keyPath, certificate);
        return ["--tls-cert", certificatePath, "--tls-key", keyPath, "--tls-ca", AuthorityPath];
    }

    /// <summary>The credentials of <paramref name="role"/> <paramref name="name"/> for an in-process client.</summary>
    public TlsCredentials Credentials(LighthouseRole role, string name, params string[] users)
    {
        var flags = Flags(role, name, users);
        return TlsCredentials.Load(flags[1], flags[3], flags[5]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
