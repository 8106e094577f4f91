namespace Lighthouse.Protocol.Serialization;

/// <summary>How one message type crosses the wire: its manifest and how its fields are written and read.</summary>
internal abstract class MessageCodec(Type type, string manifest)
{
    public Type Type { get; } = type;

    /// <summary>Short and stable: it travels with every message and must mean the same type to every node of a cluster.</summary>
    public string Manifest { get; } = manifest;

    public abstract void Write(WireWriter writer, object message);

    public abstract object Read(ref WireReader reader);

    public static MessageCodec For<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read) =>
        new Typed<T>(manifest, write, read);

    private sealed class Typed<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read)
        : MessageCodec(typeof(T), manifest)
    {
        public override void Write(WireWriter writer, object message) => write(writer, (T)message);

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }
}
