using Lighthouse.IntegrationTests.Security;
using Lighthouse.Security;
using Lighthouse.Host.Serve;
using Lighthouse.Worker.Cli;

namespace Lighthouse.IntegrationTests.Serve;

/// <summary>The three-machine examples in config/examples are read by the programs as their comments say.</summary>
public sealed class ExampleConfigTests
{
    private static string Example(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "config", "examples", file);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"config/examples/{file} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void The_host_example_binds_every_interface_advertises_its_lan_address_and_seeds_itself()
    {
        var path = Example("host.conf");

        // The example's certificate paths are the operator's; this machine's come from the flags, which override them.
        using var certificates = new ClusterCertificates();
        var tls = certificates.Flags(LighthouseRole.Host, "host-a");
        var arguments = new ServeArguments(ConfigFile: path, TlsCertificate: tls[1], TlsKey: tls[3], TlsAuthority: tls[5]);
        var settings = HostSettings.From(HostConfiguration.Compose(arguments, new Dictionary<string, string>()), path);

        Assert.Equal(("0.0.0.0", "10.0.0.1", 4053), (settings.Hostname, settings.PublicHostname, settings.Port));
        Assert.Equal(["akka.ssl.tcp://lighthouse@10.0.0.1:4053"], settings.Seeds);
        Assert.Equal("/etc/lighthouse/ca/ca.crt", HostConfiguration.Compose(new ServeArguments(ConfigFile: path), new Dictionary<string, string>()).GetString("lighthouse.tls.ca"));
        Assert.Equal(LighthouseRole.Host, settings.Credentials!.Identity.Role);
        Assert.Null(settings.LocalWorker);
        // TLS is on, so the monitor and API serve HTTPS with the host's certificate.
        Assert.Equal("https://0.0.0.0:9000", settings.Http!.Url);
        Assert.Same(settings.Credentials.Certificate, settings.Http.Certificate);
        Assert.NotNull(settings.Http.BearerToken);
    }

    [Fact]
    public void The_worker_example_joins_the_host_with_the_hosts_frame_size_and_downing()
    {
        using var certificates = new ClusterCertificates();
        var launch = WorkerCommandLine.Parse(["--config", Example("worker.conf"), .. certificates.Flags(LighthouseRole.Worker, "worker-b")]);
        var akka = launch.AkkaConfig();

        Assert.Equal(["10.0.0.1:4053"], launch.Seeds.Select(s => s.ToString()));
        Assert.Equal((4054, 8), (launch.Port, launch.Slots));
        Assert.Equal(32, launch.Resources["memory-gb"]);
        Assert.Equal("10.0.0.2", akka.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(4L * 1024 * 1024, akka.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("scheduler", akka.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal("worker-b", launch.Name);
        Assert.Equal(["akka.ssl.tcp://lighthouse@10.0.0.1:4053"], akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.True(akka.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
    }
}
