using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// Takes the place of Akka's default JSON serializer (name <c>json</c>, identifier 1, bound to <c>System.Object</c>),
/// and refuses everything. Akka's Newtonsoft serializer is polymorphic: the type it builds is named by the envelope's
/// manifest and by <c>$type</c> fields inside the payload, so any peer that reaches the cluster port could make a node
/// construct a type of its choosing, the classic deserialization-gadget attack. Akka picks the serializer from the
/// identifier the sender wrote in the envelope, whatever the receiver's bindings say, so unbinding JSON is not enough:
/// identifier 1 itself must lead here. Every message Lighthouse sends has a serializer of its own (Lighthouse's, the
/// journal's, Akka's remoting, cluster, cluster-tools and persistence ones); anything else fails at the sender with the
/// message below instead of travelling as JSON.
/// <para>
/// A <see cref="RefusingSerializer"/>: Akka hands it the manifest as text; with a plain serializer Akka
/// would resolve the manifest to a <see cref="Type"/> (loading its assembly) before asking it.
/// </para>
/// Registered by <see cref="LighthouseSerialization.Configuration"/>, and put in place at run time by
/// <see cref="LighthouseConfig.Prepare"/> on a system built without it.
/// </summary>
public sealed class RefusingJsonSerializer : RefusingSerializer
{
    /// <summary>The identifier of Akka's <c>NewtonSoftJsonSerializer</c>, which this serializer replaces.</summary>
    public const int AkkaJsonSerializerId = 1;

    /// <summary>The name Akka registers its JSON serializer under, and the <c>System.Object</c> binding points to.</summary>
    public const string AkkaJsonSerializerName = "json";

    public RefusingJsonSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    // Akka passes akka.actor.serialization-settings.json when that section exists (Akka's reference.conf has one).
    public RefusingJsonSerializer(ExtendedActorSystem system, Config settings) : base(system)
    {
    }

    public override int Identifier => AkkaJsonSerializerId;

    protected override SerializationException Incoming(int bytes, string manifest) => new(
        $"refused a message for serializer id {AkkaJsonSerializerId} (Akka's polymorphic JSON) with manifest \"{manifest}\" " +
        $"({bytes} bytes): Lighthouse reads no JSON-serialized messages from the network, nothing was constructed");

    protected override SerializationException Outgoing(object? message) => new(
        $"{message?.GetType().FullName ?? "null"} has no serializer bound, and Lighthouse does not send messages with Akka's polymorphic " +
        "JSON serializer: bind the type to a serializer of its own in akka.actor.serialization-bindings");
}
