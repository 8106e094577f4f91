using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Security;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>Two real ActorSystems on loopback with Akka.Remote over mutual TLS: who gets through the handshake.</summary>
public sealed class RemoteTlsTests : IDisposable
{
    private static readonly X509Authority Ours = new();
    private readonly List<ActorSystem> _systems = [];

    private sealed class X509Authority
    {
        public readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = CertificateAuthority.Create("test CA");

        public TlsCredentials Credentials(LighthouseRole role, string name, params string[] users) =>
            TlsCredentials.FromCertificates(CertificateAuthority.Issue(Ca, new CertificateIdentity(role, name, users)), Ca);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private ActorSystem Start(string name, TlsCredentials credentials)
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(RemoteTls.TransportConfig);
        var system = ActorSystem.Create(name, RemoteTls.Bootstrap(config, credentials));
        _systems.Add(system);
        return system;
    }

    /// <summary>Asks until an answer comes, within <see cref="Eventually.Bound"/>: the first handshake can take seconds on a loaded machine.</summary>
    private static async Task<bool> ReachesWithin(ActorSystem from, ActorSystem to, IActorRef echoOn)
    {
        var deadline = DateTime.UtcNow + Eventually.Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (await Reaches(from, to, echoOn)) return true;
        }
        return false;
    }

    private static async Task<bool> Reaches(ActorSystem from, ActorSystem to, IActorRef echoOn)
    {
        var address = ((ExtendedActorSystem)to).Provider.DefaultAddress;
        var path = new RootActorPath(address) / "user" / echoOn.Path.Name;
        try
        {
            var answer = await from.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(3));
            return answer == "ping";
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Nodes_with_certificates_from_the_clusters_CA_talk_over_akka_ssl_tcp()
    {
        var host = Start("a", Ours.Credentials(LighthouseRole.Host, "h1"));
        var worker = Start("b", Ours.Credentials(LighthouseRole.Worker, "w1"));
        var echo = host.ActorOf(Props.Create(() => new Echo()), "echo");

        Assert.Equal(RemoteTls.SecureScheme, ((ExtendedActorSystem)host).Provider.DefaultAddress.Protocol);
        Assert.True(await ReachesWithin(worker, host, echo));
        Assert.Equal("w1", RemoteTls.CredentialsOf(worker)?.Identity.Name);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused_at_the_handshake()
    {
        var host = Start("a", Ours.Credentials(LighthouseRole.Host, "h1"));
        var stranger = Start("b", new X509Authority().Credentials(LighthouseRole.Worker, "w1"));
        var echo = host.ActorOf(Props.Create(() => new Echo()), "echo");

        Assert.False(await Reaches(stranger, host, echo));
    }

    [Fact]
    public async Task A_worker_does_not_let_a_client_certificate_in()
    {
        var worker = Start("a", Ours.Credentials(LighthouseRole.Worker, "w1"));
        var client = Start("b", Ours.Credentials(LighthouseRole.Client, "c", "alice"));
        var echo = worker.ActorOf(Props.Create(() => new Echo()), "echo");

        Assert.False(await Reaches(client, worker, echo));
    }

    [Fact]
    public async Task A_host_lets_a_client_certificate_in()
    {
        var host = Start("a", Ours.Credentials(LighthouseRole.Host, "h1"));
        var client = Start("b", Ours.Credentials(LighthouseRole.Client, "c", "alice"));
        var echo = host.ActorOf(Props.Create(() => new Echo()), "echo");

        Assert.True(await ReachesWithin(client, host, echo));
    }

    public void Dispose()
    {
        foreach (var system in _systems) system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
