using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Lighthouse.Protocol.Serialization;

/// <summary>
/// A serializer that takes the identifier of one of Akka's and refuses everything: what is sent fails at the sender
/// with <see cref="Outgoing"/>, what arrives is dropped with <see cref="Incoming"/>, and nothing is ever constructed.
/// Akka picks the serializer by the identifier the sender wrote in the envelope, whatever the receiver's bindings say,
/// so closing a door means putting one of these under its identifier. A <see cref="SerializerWithStringManifest"/>, so
/// that Akka hands over the manifest as text instead of resolving it to a type (and loading its assembly) first.
/// </summary>
public abstract class RefusingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Why <paramref name="message"/> cannot be sent this way.</summary>
    protected abstract SerializationException Outgoing(object? message);

    /// <summary>Why what arrived (<paramref name="bytes"/> with <paramref name="manifest"/>, cut short) was dropped.</summary>
    protected abstract SerializationException Incoming(int bytes, string manifest);

    public sealed override string Manifest(object o) => throw Outgoing(o);

    public sealed override byte[] ToBinary(object obj) => throw Outgoing(obj);

    public sealed override object FromBinary(byte[] bytes, string manifest) => throw Incoming(bytes?.Length ?? 0, Shorten(manifest));

    // The manifest comes from the peer: keep a hostile one from filling the log.
    private static string Shorten(string? manifest) =>
        manifest is null ? "" : manifest.Length <= 200 ? manifest : manifest[..200] + "…";
}
