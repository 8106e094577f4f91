using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lighthouse.Security;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>The certificate pieces without a network: the identity extension, <see cref="TlsCredentials.Verify"/> and the PEM files.</summary>
public sealed class CertificateTests : IDisposable
{
    private static readonly X509Certificate2 Ca = CertificateAuthority.Create("test CA");
    private static readonly TlsCredentials Host = TlsCredentials.FromCertificates(CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Host, "h1", [])), Ca);
    private readonly string _directory = Directory.CreateTempSubdirectory("lighthouse-certificate-test-").FullName;

    [Theory]
    [InlineData(LighthouseRole.Host, "h1", new string[0])]
    [InlineData(LighthouseRole.Worker, "vm:4053", new string[0])]
    [InlineData(LighthouseRole.Client, "ci", new[] { "alice", "bob" })]
    [InlineData(LighthouseRole.Admin, "ops", new string[0])]
    public void The_identity_round_trips_through_the_extension_and_is_what_Verify_answers(LighthouseRole role, string name, string[] users)
    {
        using var certificate = CertificateAuthority.Issue(Ca, new CertificateIdentity(role, name, users));

        var read = CertificateIdentity.Read(certificate, out var problem);
        var verified = Host.Verify(certificate, null, out var verifyProblem);

        Assert.Null(problem);
        Assert.Null(verifyProblem);
        foreach (var identity in new[] { read, verified })
        {
            Assert.NotNull(identity);
            Assert.Equal(role, identity.Role);
            Assert.Equal(name, identity.Name);
            Assert.Equal(users, identity.Users);
        }
    }

    [Theory]
    [InlineData("a, b")]
    [InlineData("O=Evil")]
    [InlineData("quote \" and back\\slash")]
    [InlineData(" padded ")]
    [InlineData("plus+semi;hash#")]
    public void A_name_with_X500_punctuation_is_the_subjects_common_name_as_given(string name)
    {
        using var certificate = CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Worker, name, []));

        Assert.Equal(name, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(name, CertificateIdentity.Read(certificate, out _)?.Name);
        // The name cannot smuggle in another attribute: the subject holds exactly CN, OU and O.
        Assert.Equal(3, certificate.SubjectName.EnumerateRelativeDistinguishedNames().Count());
    }

    [Fact]
    public void The_subject_says_name_role_and_Lighthouse_for_people_and_takes_the_longest_name_the_scheduler_takes()
    {
        using var certificate = CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Worker, "w1", []));
        var longest = new string('n', Protocol.NameRules.DefaultMaxLength);
        using var longName = CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Worker, longest, []));

        Assert.Equal("CN=w1, OU=worker, O=Lighthouse", certificate.Subject);
        Assert.Equal("CN=test CA, O=Lighthouse", Ca.Subject);
        Assert.Equal(longest, CertificateIdentity.Read(longName, out _)?.Name);
    }

    [Fact]
    public void Alternative_names_are_the_name_localhost_and_127_0_0_1_then_the_extra_ones()
    {
        using var certificate = CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Host, "h1", []), ["h1.example.org", "10.0.0.7", "localhost"]);

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["h1", "localhost", "h1.example.org"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("10.0.0.7")], names.EnumerateIPAddresses());
    }

    [Fact]
    public void An_issued_certificate_never_outlives_its_authority()
    {
        using var shortLived = CertificateAuthority.Create("short CA", TimeSpan.FromDays(10));
        using var certificate = CertificateAuthority.Issue(shortLived, new CertificateIdentity(LighthouseRole.Worker, "w1", []), validity: TimeSpan.FromDays(365));

        Assert.Equal(shortLived.NotAfter, certificate.NotAfter);
    }

    [Fact]
    public void Verify_refuses_a_certificate_from_another_CA_even_one_of_the_same_name()
    {
        using var impostor = CertificateAuthority.Create("test CA");
        using var certificate = CertificateAuthority.Issue(impostor, new CertificateIdentity(LighthouseRole.Admin, "mallory", []));

        Assert.Null(Host.Verify(certificate, null, out var problem));
        Assert.Contains("not accepted", problem);
        Assert.Contains("mallory", problem);
    }

    [Fact]
    public void Verify_refuses_a_certificate_whose_issuer_is_offered_as_an_intermediate()
    {
        // A peer cannot bring its own authority along in the handshake and have it count.
        using var impostor = CertificateAuthority.Create("impostor CA");
        using var certificate = CertificateAuthority.Issue(impostor, new CertificateIdentity(LighthouseRole.Admin, "mallory", []));

        Assert.Null(Host.Verify(certificate, [impostor], out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Verify_refuses_an_expired_certificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = Signed(new CertificateIdentity(LighthouseRole.Worker, "w1", []).ToExtension(), now.AddDays(-30), now.AddDays(-1));

        Assert.Null(Host.Verify(certificate, null, out var problem));
        Assert.Contains("not accepted", problem);
        Assert.Contains("CN=w1", problem);
    }

    [Fact]
    public void Verify_refuses_a_certificate_of_the_CA_without_a_Lighthouse_identity()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = Signed(null, now.AddDays(-1), now.AddDays(1));

        Assert.Null(Host.Verify(certificate, null, out var problem));
        Assert.Contains("carries no Lighthouse identity", problem);
    }

    public static TheoryData<string, byte[]> DamagedExtensions()
    {
        static byte[] Sequence(params string[] strings)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                foreach (var s in strings) writer.WriteCharacterString(UniversalTagNumber.UTF8String, s);
            }
            return writer.Encode();
        }
        var integer = new AsnWriter(AsnEncodingRules.DER);
        integer.WriteInteger(7);
        return new()
        {
            { "damaged", [0x30, 0x05, 0x0C, 0x01] },            // a SEQUENCE cut short
            { "damaged", integer.Encode() },                      // not a SEQUENCE
            { "damaged", Sequence("worker") },                    // no name
            { "damaged", [.. Sequence("worker", "w1"), 0x00] },   // trailing bytes
            { "unknown role \"root\"", Sequence("root", "w1") },
        };
    }

    [Theory]
    [MemberData(nameof(DamagedExtensions))]
    public void A_damaged_identity_extension_is_refused_with_a_reason(string expected, byte[] value)
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = Signed(new X509Extension(CertificateIdentity.ExtensionOid, value, critical: false), now.AddDays(-1), now.AddDays(1));

        Assert.Null(CertificateIdentity.Read(certificate, out var readProblem));
        Assert.Null(Host.Verify(certificate, null, out var verifyProblem));
        Assert.Contains(expected, readProblem);
        Assert.Equal(readProblem, verifyProblem);
    }

    [Fact]
    public void A_certificate_without_its_private_key_makes_no_credentials()
    {
        using var withoutKey = X509CertificateLoader.LoadCertificate(Host.Certificate.RawData);

        var refused = Assert.Throws<TlsConfigurationException>(() => TlsCredentials.FromCertificates(withoutKey, Ca));
        Assert.Contains("has no private key", refused.Message);
    }

    [Fact]
    public void The_PEM_files_load_back_as_credentials()
    {
        var (certificate, key, ca) = (Path.Combine(_directory, "h1.crt"), Path.Combine(_directory, "h1.key"), Path.Combine(_directory, "ca.crt"));
        PemFiles.WriteCertificate(certificate, Host.Certificate);
        PemFiles.WritePrivateKey(key, Host.Certificate);
        PemFiles.WriteCertificate(ca, Ca);

        var loaded = TlsCredentials.Load(certificate, key, ca);

        Assert.Equal((LighthouseRole.Host, "h1"), (loaded.Identity.Role, loaded.Identity.Name));
        Assert.Equal(Host.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key));
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_own_is_a_configuration_error_naming_both_files()
    {
        using var other = CertificateAuthority.Issue(Ca, new CertificateIdentity(LighthouseRole.Worker, "w1", []));
        var (certificate, key, ca) = (Path.Combine(_directory, "h1.crt"), Path.Combine(_directory, "w1.key"), Path.Combine(_directory, "ca.crt"));
        PemFiles.WriteCertificate(certificate, Host.Certificate);
        PemFiles.WritePrivateKey(key, other);
        PemFiles.WriteCertificate(ca, Ca);

        var refused = Assert.Throws<TlsConfigurationException>(() => TlsCredentials.Load(certificate, key, ca));
        Assert.Contains($"TLS certificate {certificate} with key {key} cannot be loaded", refused.Message);
    }

    [Fact]
    public void Writing_a_key_over_a_readable_file_makes_it_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var key = Path.Combine(_directory, "old.key");
        File.WriteAllText(key, "an older, longer file that was readable by everyone");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        PemFiles.WritePrivateKey(key, Host.Certificate);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key));
        Assert.DoesNotContain("readable by everyone", File.ReadAllText(key));
    }

    [Fact]
    public void A_new_key_file_is_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var key = Path.Combine(_directory, "new.key");

        PemFiles.WritePrivateKey(key, Host.Certificate);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    /// <summary>A certificate for "w1" signed by the test CA, built by hand: what <see cref="CertificateAuthority.Issue"/> would never make.</summary>
    private static X509Certificate2 Signed(X509Extension? identity, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=w1, O=Lighthouse", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (identity is not null) request.CertificateExtensions.Add(identity);
        // The CA itself was made "now": a certificate that starts earlier is signed by a CA made for the purpose with the same key.
        using var caKey = Ca.GetECDsaPrivateKey()!;
        using var signed = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
