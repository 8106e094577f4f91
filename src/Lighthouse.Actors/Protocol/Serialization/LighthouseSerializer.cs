using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// The wire format of Lighthouse's protocol messages: a compact hand-written binary encoding (see
/// <see cref="WireWriter"/>) with a two-letter manifest per message type. It replaces Akka's default
/// JSON serializer for these messages because serialization dominates the hot path (submit, start, report, status).
/// Payloads and results are opaque JSON text: carried as strings, byte for byte, never interpreted.
/// Registered by <see cref="LighthouseSerialization.Configuration"/>.
/// </summary>
public sealed class LighthouseSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => LighthouseSerialization.SerializerId;

    public override string Manifest(object o) => CodecFor(o).ManifestOf(o);

    public override byte[] ToBinary(object obj)
    {
        var writer = WireWriter.Rent();
        CodecFor(obj).Encode(writer, obj, "write");
        return writer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var codec = ProtocolCodecs.ForManifest(manifest)
            ?? throw new SerializationException(
                $"unknown Lighthouse message manifest \"{manifest}\" ({bytes.Length} bytes): the sender runs a protocol this node does not know");
        return codec.Decode(bytes, "Lighthouse message");
    }

    private static MessageCodec CodecFor(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ProtocolCodecs.ForType(message.GetType())
            ?? throw new SerializationException(
                $"{message.GetType().FullName} has no Lighthouse wire encoding: add a codec for it in Protocol/Serialization");
    }
}
