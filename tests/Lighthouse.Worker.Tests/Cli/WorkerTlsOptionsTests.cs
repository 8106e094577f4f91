using Lighthouse.Security;
using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

/// <summary>The worker's TLS options: the certificate names the node, and plaintext stays on loopback.</summary>
public sealed class WorkerTlsOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lighthouse-worker-tls-").FullName;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _authority = CertificateAuthority.Create("worker tests CA");

    private string[] Flags(LighthouseRole role, string name, params string[] users)
    {
        var certificate = CertificateAuthority.Issue(_authority, new CertificateIdentity(role, name, users));
        var (crt, key, ca) = (Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"), Path.Combine(_directory, "ca.crt"));
        PemFiles.WriteCertificate(crt, certificate);
        PemFiles.WritePrivateKey(key, certificate);
        PemFiles.WriteCertificate(ca, _authority);
        return ["--tls-cert", crt, "--tls-key", key, "--tls-ca", ca];
    }

    private static string Refusal(params string[] args) => Assert.Throws<WorkerUsageException>(() => WorkerCommandLine.Parse(args)).Message;

    [Fact]
    public void A_worker_certificate_names_the_node_and_the_seeds_take_the_TLS_scheme()
    {
        var launch = WorkerCommandLine.Parse(["--seed", "127.0.0.1:4053", .. Flags(LighthouseRole.Worker, "gpu-1")]);

        Assert.Equal("gpu-1", launch.Name);
        Assert.Equal(["akka.ssl.tcp://lighthouse@127.0.0.1:4053"], launch.AkkaConfig().GetStringList("akka.cluster.seed-nodes"));
        Assert.True(launch.AkkaConfig().GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
    }

    [Fact]
    public void Another_name_than_the_certificates_a_client_certificate_or_part_of_the_files_are_refused()
    {
        Assert.Contains("differs from the node name in the certificate, \"w1\"", Refusal(["--name", "w2", .. Flags(LighthouseRole.Worker, "w1")]), StringComparison.Ordinal);
        Assert.Contains("a worker needs one issued with --role worker", Refusal(Flags(LighthouseRole.Client, "ci", "alice")), StringComparison.Ordinal);
        Assert.Contains("only 1 of the 3", Refusal(Flags(LighthouseRole.Worker, "w1")[..2]), StringComparison.Ordinal);
    }

    [Fact]
    public void Plaintext_off_loopback_needs_insecure()
    {
        var file = Path.Combine(_directory, "lan.conf");
        File.WriteAllText(file, "akka.remote.dot-netty.tcp.hostname = \"0.0.0.0\"\n");

        Assert.Contains("without TLS", Refusal("--config", file), StringComparison.Ordinal);
        Assert.True(WorkerCommandLine.Parse(["--config", file, "--insecure"]).InsecureOffLoopback);
        Assert.False(WorkerCommandLine.Parse([]).InsecureOffLoopback);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
