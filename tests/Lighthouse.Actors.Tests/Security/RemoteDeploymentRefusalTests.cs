using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Akka.Actor;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>
/// A peer asks a Lighthouse node, over real Akka.Remote on loopback, to create an actor of the peer's choosing (remote
/// deployment: <c>Props.WithDeploy(new Deploy(new RemoteScope(node)))</c>, sent as Akka.Remote's <c>DaemonMsgCreate</c>,
/// serializer id 3). A Lighthouse system, configured with Lighthouse's defaults or readied by
/// <see cref="LighthouseConfig.Prepare"/> after start, never constructs it, and keeps serving.
/// </summary>
public sealed class RemoteDeploymentRefusalTests : IDisposable
{
    private static readonly TimeSpan Timeout = RemoteSystems.Timeout;
    private readonly RemoteSystems _systems = new();

    /// <summary>Stands for what an attacker would run on the node: constructing it is the attack.</summary>
    public sealed class Planted : ReceiveActor
    {
        public static readonly ConcurrentBag<string> Constructed = [];

        public Planted(string marker)
        {
            Constructed.Add(marker);
            ReceiveAny(_ => { });
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(text => Sender.Tell("echo:" + text));
    }

    /// <summary>Deploys a <see cref="Planted"/> from a plain Akka peer onto <paramref name="target"/>; whether the target now holds it.</summary>
    private async Task<(bool Created, string Marker, IActorRef Echo)> DeployOnto(ActorSystem target)
    {
        var echo = target.ActorOf(Props.Create(() => new Echo()), "echo");
        var attacker = _systems.Start("attacker");
        var remoteEcho = await attacker.ActorSelection(new RootActorPath(RemoteSystems.AddressOf(target)) / "user" / "echo").ResolveOne(Timeout);
        var marker = Guid.NewGuid().ToString("N");

        var deployed = attacker.ActorOf(Props.Create(() => new Planted(marker)).WithDeploy(new Deploy(new RemoteScope(RemoteSystems.AddressOf(target)))));
        // Same connection, same order: by this answer the target has read (or refused) the deployment.
        Assert.Equal("echo:after", await remoteEcho.Ask<string>("after", Timeout));
        var identity = await deployed.Ask<ActorIdentity>(new Identify(marker), Timeout);
        return (identity.Subject is not null, marker, remoteEcho);
    }

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public async Task A_peer_cannot_have_a_Lighthouse_node_create_an_actor_and_the_node_keeps_serving(Readied kind)
    {
        var target = _systems.Start(kind);

        var (created, marker, echo) = await DeployOnto(target);

        Assert.False(created);
        Assert.DoesNotContain(marker, Planted.Constructed);
        Assert.Equal("echo:again", await echo.Ask<string>("again", Timeout));
    }

    [Fact]
    public async Task Without_Lighthouse_a_plain_Akka_node_creates_the_actor_the_peer_named()
    {
        // The hazard the test above guards against, shown the same way.
        var target = _systems.Start(Readied.PlainAkka);

        var (created, marker, _) = await DeployOnto(target);

        Assert.True(created);
        Assert.Contains(marker, Planted.Constructed);
    }

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public void Identifier_3_is_refused_on_the_way_in_and_DaemonMsgCreate_on_the_way_out(Readied kind)
    {
        var target = _systems.Start(kind);
        var daemonMsgCreate = typeof(Akka.Remote.RemoteActorRefProvider).Assembly.GetType("Akka.Remote.DaemonMsgCreate", throwOnError: true)!;

        var refused = Assert.Throws<SerializationException>(() => target.Serialization.Deserialize([1, 2, 3], RefusingDaemonCreateSerializer.AkkaDaemonCreateSerializerId, ""));

        Assert.Contains("refused a remote deployment", refused.Message);
        Assert.IsType<RefusingDaemonCreateSerializer>(target.Serialization.FindSerializerForType(daemonMsgCreate));
    }

    public void Dispose() => _systems.Dispose();
}
