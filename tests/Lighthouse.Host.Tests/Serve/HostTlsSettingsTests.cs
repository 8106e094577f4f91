using Lighthouse.Host.Serve;
using Lighthouse.Security;

namespace Lighthouse.Host.Tests.Serve;

/// <summary>How <c>lighthouse serve</c> reads its TLS files, and the rule that plaintext stays on loopback.</summary>
public sealed class HostTlsSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lighthouse-host-tls-").FullName;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _authority = CertificateAuthority.Create("host tests CA");

    private (string Certificate, string Key, string Authority) Files(LighthouseRole role, string name, params string[] users)
    {
        var certificate = CertificateAuthority.Issue(_authority, new CertificateIdentity(role, name, users));
        var paths = (Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"), Path.Combine(_directory, "ca.crt"));
        PemFiles.WriteCertificate(paths.Item1, certificate);
        PemFiles.WritePrivateKey(paths.Item2, certificate);
        PemFiles.WriteCertificate(paths.Item3, _authority);
        return paths;
    }

    private static HostSettings Settings(ServeArguments arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        HostSettings.From(HostConfiguration.Compose(arguments, environment ?? new Dictionary<string, string>()), arguments.ConfigFile);

    private static string Refusal(ServeArguments arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ServeConfigurationException>(() => Settings(arguments, environment)).Message;

    [Fact]
    public void The_flags_turn_on_TLS_the_seeds_take_the_TLS_scheme_and_the_transport_is_told()
    {
        var (certificate, key, authority) = Files(LighthouseRole.Host, "h1");

        var settings = Settings(new ServeArguments(TlsCertificate: certificate, TlsKey: key, TlsAuthority: authority),
            new Dictionary<string, string> { ["LIGHTHOUSE_SEEDS"] = "127.0.0.1:4053" });

        Assert.Equal(new CertificateIdentity(LighthouseRole.Host, "h1", []).ToString(), settings.Credentials!.Identity.ToString());
        Assert.Equal(["akka.ssl.tcp://lighthouse@127.0.0.1:4053"], settings.Seeds);
        Assert.Equal(settings.Seeds, settings.Akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.True(settings.Akka.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(settings.Akka.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
    }

    [Fact]
    public void The_environment_gives_the_files_too_and_TLS_allows_listening_off_loopback()
    {
        var (certificate, key, authority) = Files(LighthouseRole.Host, "h1");

        var settings = Settings(new ServeArguments(Hostname: "0.0.0.0"), new Dictionary<string, string>
        {
            ["LIGHTHOUSE_TLS_CERT"] = certificate, ["LIGHTHOUSE_TLS_KEY"] = key, ["LIGHTHOUSE_TLS_CA"] = authority,
        });

        Assert.NotNull(settings.Credentials);
        Assert.False(settings.InsecureOffLoopback);
    }

    [Fact]
    public void Without_TLS_a_host_listens_off_loopback_only_with_insecure()
    {
        Assert.Contains("lighthouse certs ca", Refusal(new ServeArguments(Hostname: "0.0.0.0")), StringComparison.Ordinal);
        Assert.Contains("without TLS", Refusal(new ServeArguments(), new Dictionary<string, string> { ["LIGHTHOUSE_PUBLIC_HOSTNAME"] = "10.0.0.9" }), StringComparison.Ordinal);

        var insecure = Settings(new ServeArguments(Hostname: "0.0.0.0", Insecure: true));

        Assert.Null(insecure.Credentials);
        Assert.True(insecure.InsecureOffLoopback);
        Assert.False(Settings(new ServeArguments()).InsecureOffLoopback);
    }

    [Fact]
    public void Part_of_the_TLS_files_a_missing_file_a_foreign_CA_or_a_certificate_of_another_role_are_refused_naming_the_problem()
    {
        var (certificate, key, authority) = Files(LighthouseRole.Host, "h1");
        var (workerCertificate, workerKey, _) = Files(LighthouseRole.Worker, "w1");
        var foreignCa = Path.Combine(_directory, "foreign-ca.crt");
        PemFiles.WriteCertificate(foreignCa, CertificateAuthority.Create("foreign CA"));

        Assert.Contains("only 2 of the 3", Refusal(new ServeArguments(TlsCertificate: certificate, TlsKey: key)), StringComparison.Ordinal);
        Assert.Contains("does not exist", Refusal(new ServeArguments(TlsCertificate: certificate + ".nope", TlsKey: key, TlsAuthority: authority)), StringComparison.Ordinal);
        Assert.Contains("does not fit CA", Refusal(new ServeArguments(TlsCertificate: certificate, TlsKey: key, TlsAuthority: foreignCa)), StringComparison.Ordinal);
        Assert.Contains("cannot be loaded", Refusal(new ServeArguments(TlsCertificate: certificate, TlsKey: workerKey, TlsAuthority: authority)), StringComparison.Ordinal);
        Assert.Contains("a host needs one issued with --role host", Refusal(new ServeArguments(TlsCertificate: workerCertificate, TlsKey: workerKey, TlsAuthority: authority)), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
