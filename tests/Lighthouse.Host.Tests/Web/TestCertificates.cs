using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.Host.Tests.Web;

/// <summary>
/// A test CA and a host certificate issued by it, as PEM files in a fresh temp directory (<c>ca.crt</c>,
/// <c>host.crt</c>, <c>host.key</c>), deleted on dispose.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("lighthouse-https-");

    public TestCertificates()
    {
        Authority = CertificateAuthority.Create("https test CA");
        var host = CertificateAuthority.Issue(Authority, new CertificateIdentity(LighthouseRole.Host, "host-1", []));
        PemFiles.WriteCertificate(AuthorityPath, Authority);
        PemFiles.WriteCertificate(CertificatePath, host);
        PemFiles.WritePrivateKey(KeyPath, host);
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath => Path.Combine(_directory.FullName, "ca.crt");

    public string CertificatePath => Path.Combine(_directory.FullName, "host.crt");

    public string KeyPath => Path.Combine(_directory.FullName, "host.key");

    /// <summary>The <c>lighthouse.tls</c> section naming these files.</summary>
    public string TlsSection =>
        $"lighthouse.tls {{ certificate = \"{CertificatePath}\", key = \"{KeyPath}\", ca = \"{AuthorityPath}\" }}\n";

    /// <summary>True when <paramref name="server"/> chains to this CA and nothing else (the machine's trusted roots do not count).</summary>
    public bool Trusts(X509Certificate2 server, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null) chain.ChainPolicy.ExtraStore.AddRange(presented.ChainElements.Select(e => e.Certificate).ToArray());
        return chain.Build(server) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Authority.RawDataMemory.Span);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
