using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Security;

/// <summary>
/// A hostile peer asks for Akka's polymorphic JSON serializer (identifier 1) with a type of its choosing. A Lighthouse
/// system, whether its configuration carries Lighthouse's defaults or <see cref="LighthouseConfig.Prepare"/> readied it
/// after start, drops the message without constructing that type, and keeps serving.
/// </summary>
public sealed class JsonRefusalTests : IDisposable
{
    private static readonly TimeSpan Timeout = RemoteSystems.Timeout;
    private static readonly string GadgetManifest = $"{typeof(Gadget).FullName}, {typeof(Gadget).Assembly.GetName().Name}";
    private readonly RemoteSystems _systems = new();

    /// <summary>Stands for a deserialization gadget: constructing it, or setting its property, is the attack.</summary>
    public sealed class Gadget
    {
        private static int _constructed;
        private string _command = "";

        public Gadget() => Interlocked.Increment(ref _constructed);

        public static int Constructed => Volatile.Read(ref _constructed);

        public string Command
        {
            get => _command;
            set { _command = value; Interlocked.Increment(ref _constructed); }
        }
    }

    private sealed class Inbox : ReceiveActor
    {
        public Inbox(ConcurrentQueue<object> received) => ReceiveAny(message =>
        {
            received.Enqueue(message);
            Sender.Tell(message is string text ? "echo:" + text : "got it");
        });
    }

    // The attacker may configure itself as it likes: here it binds the gadget to Akka's JSON serializer, so the
    // envelope carries serializer id 1 and the gadget's type name as manifest.
    private ActorSystem StartAttacker() =>
        _systems.Start("attacker", $$"""actor.serialization-bindings { "{{GadgetManifest}}" = json }""");

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public async Task A_peer_that_asks_for_the_JSON_serializer_is_dropped_without_constructing_its_type(Readied kind)
    {
        var received = new ConcurrentQueue<object>();
        var receiver = _systems.Start(kind);
        receiver.ActorOf(Props.Create(() => new Inbox(received)), "inbox");
        var attacker = StartAttacker();
        var inbox = await attacker.ActorSelection(new RootActorPath(RemoteSystems.AddressOf(receiver)) / "user" / "inbox").ResolveOne(Timeout);
        var gadget = new Gadget { Command = "rm -rf /" };
        Assert.Equal(RefusingJsonSerializer.AkkaJsonSerializerId, attacker.Serialization.FindSerializerFor(gadget).Identifier);
        var constructedBefore = Gadget.Constructed;

        inbox.Tell(gadget);
        // Same connection, same order: the answer to this comes after the gadget was read (and refused).
        var answer = await inbox.Ask<string>("after", Timeout);

        Assert.Equal("echo:after", answer);
        Assert.Equal(constructedBefore, Gadget.Constructed);
        Assert.DoesNotContain(received, m => m is Gadget);
        // And the connection keeps working.
        Assert.Equal("echo:again", await inbox.Ask<string>("again", Timeout));
    }

    [Fact]
    public async Task Without_Lighthouse_a_plain_Akka_system_constructs_the_type_the_peer_named()
    {
        // The hazard the test above guards against, shown on the same envelope.
        var received = new ConcurrentQueue<object>();
        var receiver = _systems.Start(Readied.PlainAkka);
        receiver.ActorOf(Props.Create(() => new Inbox(received)), "inbox");
        var attacker = StartAttacker();
        var inbox = await attacker.ActorSelection(new RootActorPath(RemoteSystems.AddressOf(receiver)) / "user" / "inbox").ResolveOne(Timeout);
        var gadget = new Gadget { Command = "rm -rf /" };
        var constructedBefore = Gadget.Constructed;

        Assert.Equal("got it", await inbox.Ask<string>(gadget, Timeout));

        Assert.True(Gadget.Constructed > constructedBefore);
        Assert.Contains(received, m => m is Gadget { Command: "rm -rf /" });
    }

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public void Deserializing_with_identifier_1_is_refused_naming_the_manifest_and_constructs_nothing(Readied kind)
    {
        var system = _systems.Start(kind);
        var json = JsonOf(new Gadget { Command = "calc" });
        var constructedBefore = Gadget.Constructed;

        var refused = Assert.Throws<SerializationException>(() => system.Serialization.Deserialize(json, 1, GadgetManifest));

        Assert.Contains(GadgetManifest, refused.Message);
        Assert.Contains("serializer id 1", refused.Message);
        Assert.Equal(constructedBefore, Gadget.Constructed);
    }

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public void An_unbound_type_fails_at_the_sender_instead_of_travelling_as_JSON(Readied kind)
    {
        var system = _systems.Start(kind);

        var refused = Assert.Throws<SerializationException>(() => system.Serialization.Serialize(new Gadget()));

        Assert.Contains("Gadget", refused.Message);
    }

    [Theory]
    [InlineData(Readied.ConfiguredWithDefaults)]
    [InlineData(Readied.PreparedAfterStart)]
    public void Lighthouse_messages_still_round_trip_through_Akka_serialization(Readied kind)
    {
        var system = _systems.Start(kind);
        var message = new SubmitTask("echo", """{"n": 1}""", "alice", 0, SubmissionId: "sub-1");

        var serializer = system.Serialization.FindSerializerFor(message);
        var read = system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        Assert.IsType<LighthouseSerializer>(serializer);
        Assert.Equal("sub-1", Assert.IsType<SubmitTask>(read).SubmissionId);
    }

    [Fact]
    public void Preparing_twice_keeps_one_refusing_serializer()
    {
        var system = _systems.Start(Readied.PreparedAfterStart);
        var first = system.Serialization.FindSerializerForType(typeof(object));

        LighthouseConfig.Prepare(system, "test again");

        Assert.IsType<RefusingJsonSerializer>(first);
        Assert.Same(first, system.Serialization.FindSerializerForType(typeof(object)));
    }

    // What an attacker's Newtonsoft serializer writes for the gadget (made on a plain system: the attacker's).
    private byte[] JsonOf(Gadget gadget)
    {
        var plain = _systems.StartLocal("json-writer");
        return new NewtonSoftJsonSerializer((ExtendedActorSystem)plain).ToBinary(gadget);
    }

    public void Dispose() => _systems.Dispose();
}
