using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>Two actor systems talking over real Akka.Remote on loopback, with the Lighthouse serializer on both ends.</summary>
public sealed class RemoteLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static Config RemoteConfig() => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = remote
          # Messages must cross the wire to be serialized: no in-process shortcut serialization.
          actor.serialize-messages = off
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        }
        """).WithFallback(LighthouseSerialization.Configuration);

    [Fact]
    public async Task A_submission_and_a_task_status_cross_the_wire_and_come_back_equal()
    {
        var server = ActorSystem.Create("server", RemoteConfig());
        var client = ActorSystem.Create("client", RemoteConfig());
        try
        {
            server.ActorOf(Props.Create(() => new EchoActor()), "echo");
            var serverAddress = ((ExtendedActorSystem)server).Provider.DefaultAddress;
            Assert.Equal("127.0.0.1", serverAddress.Host);
            Assert.NotEqual(0, serverAddress.Port);
            var echo = await client.ActorSelection(new RootActorPath(serverAddress) / "user" / "echo").ResolveOne(Timeout);

            var submit = new SubmitTask("render", """{"scene": "lobby", "note": "Zürich ✓"}""", "alice", int.MinValue,
                new Dictionary<string, double> { ["cpu"] = 2, ["ward"] = double.NegativeInfinity },
                new HashSet<string> { "ward" }, null, 3, "sub-1");
            var info = RoundTripTests.Info(TaskState.Succeeded);

            WireEquality.AssertSame(submit, await echo.Ask<SubmitTask>(submit, Timeout));
            WireEquality.AssertSame(info, await echo.Ask<TaskInfo>(info, Timeout));

            // Both ends would have used the Lighthouse serializer (and not the default JSON one) for these.
            Assert.IsType<LighthouseSerializer>(client.Serialization.FindSerializerFor(submit));
            Assert.IsType<LighthouseSerializer>(server.Serialization.FindSerializerFor(info));
        }
        finally
        {
            await Task.WhenAll(client.Terminate(), server.Terminate()).WaitAsync(Timeout);
        }
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(message => Sender.Tell(message));
    }
}
