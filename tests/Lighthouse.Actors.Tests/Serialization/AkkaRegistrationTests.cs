using Akka.Actor;
using Akka.Configuration;
using Lighthouse.Protocol;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>With <see cref="LighthouseSerialization.Configuration"/> applied, Akka picks the Lighthouse serializer for every protocol message.</summary>
public sealed class AkkaRegistrationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("registration",
        ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(LighthouseSerialization.Configuration));

    public static TheoryData<string> OwnedTypeNames => new(LighthouseSerialization.OwnedTypes.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(OwnedTypeNames))]
    public void Akka_picks_the_lighthouse_serializer_for_every_owned_type(string typeName)
    {
        var message = SampleFactory.Create(LighthouseSerialization.OwnedTypes.Single(t => t.Name == typeName), nullsWherePossible: false);

        var serializer = _system.Serialization.FindSerializerFor(message);

        Assert.IsType<LighthouseSerializer>(serializer);
        Assert.Equal(LighthouseSerialization.SerializerId, serializer.Identifier);
    }

    [Fact]
    public void A_message_written_through_akka_serialization_is_read_back_by_identifier_and_manifest()
    {
        var message = new SubmitTask("echo", """{"n": 1}""", "alice", 3, new Dictionary<string, double> { ["cpu"] = 1 }, SubmissionId: "sub-1");
        var serializer = _system.Serialization.FindSerializerFor(message);

        var bytes = serializer.ToBinary(message);
        var read = _system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        WireEquality.AssertSame(message, read);
    }

    [Fact]
    public void Without_the_configuration_akka_falls_back_to_its_default_serializer()
    {
        // The other side of the test above: the binding really comes from the configuration.
        using var plain = new PlainSystem();

        Assert.IsNotType<LighthouseSerializer>(plain.System.Serialization.FindSerializerFor(new GetTaskStatus("task-1")));
    }

    [Fact]
    public void The_configuration_binds_each_owned_type_once_and_registers_identifier_4053()
    {
        var actor = LighthouseSerialization.Configuration.GetConfig("akka.actor");

        Assert.Equal("Lighthouse.Protocol.Serialization.LighthouseSerializer, Lighthouse.Actors", actor.GetString("serializers.lighthouse"));
        var bindings = actor.GetConfig("serialization-bindings").AsEnumerable().ToList();
        Assert.Equal(LighthouseSerialization.OwnedTypes.Count, bindings.Count);
        Assert.All(bindings, b => Assert.Equal("lighthouse", b.Value.GetString()));
        Assert.Equal(LighthouseSerialization.OwnedTypes.Select(t => t.AssemblyQualifiedName!.Split(", ")[..2]).Select(p => string.Join(", ", p)).Order(),
            bindings.Select(b => b.Key).Order());
        Assert.Equal(4053, actor.GetConfig("serialization-identifiers").AsEnumerable().Single().Value.GetInt());
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private sealed class PlainSystem : IDisposable
    {
        public ActorSystem System { get; } = ActorSystem.Create("plain", "akka.loglevel = WARNING");

        public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
