using Akka.Actor;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Actors.Tests.Serialization;

/// <summary>
/// One <see cref="LighthouseSerializer"/> for the wire tests. Akka's serializer contract takes an
/// actor system; a plain local one is enough and is terminated when the tests are done.
/// </summary>
public sealed class SerializerFixture : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("wire-tests", "akka.loglevel = WARNING");

    public SerializerFixture() => Serializer = new LighthouseSerializer((ExtendedActorSystem)_system);

    public LighthouseSerializer Serializer { get; }

    /// <summary>Writes the message and reads it back by its manifest, as the remote transport does.</summary>
    public object RoundTrip(object message) =>
        Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));

    /// <summary>Round-trips the message and asserts the result has the same type and contents.</summary>
    public void AssertRoundTrips(object message) => WireEquality.AssertSame(message, RoundTrip(message));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}

[CollectionDefinition(Name)]
public sealed class SerializerCollection : ICollectionFixture<SerializerFixture>
{
    public const string Name = "Lighthouse serializer";
}
