using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>An in-memory certificate authority for tests, and credentials of any role it issues.</summary>
internal sealed class TestAuthority(string name = "test CA")
{
    public X509Certificate2 Ca { get; } = CertificateAuthority.Create(name);

    public TlsCredentials Credentials(LighthouseRole role, string certificateName, params string[] users) =>
        TlsCredentials.FromCertificates(CertificateAuthority.Issue(Ca, new CertificateIdentity(role, certificateName, users)), Ca);

    /// <summary>One authority for a test class's whole run: creating keys costs a few milliseconds each.</summary>
    public static TestAuthority Shared { get; } = new();
}
