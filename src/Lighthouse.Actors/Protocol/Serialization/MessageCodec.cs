using System.Runtime.Serialization;

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

    /// <summary>Writes a whole record; a value that cannot be encoded fails naming the type, the manifest and <paramref name="action"/> ("write", "store").</summary>
    public void Encode(WireWriter writer, object message, string action)
    {
        try
        {
            Write(writer, message);
        }
        catch (SerializationException e)
        {
            throw new SerializationException($"cannot {action} {Type.Name} (manifest \"{Manifest}\"): {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a whole record, after an optional <paramref name="header"/>: trailing bytes are corruption. Corrupt bytes,
    /// or a value the message's own constructor refuses, fail as a <see cref="SerializationException"/> naming the
    /// <paramref name="record"/> kind, the manifest and the type.
    /// </summary>
    public object Decode(ReadOnlySpan<byte> bytes, string record, ReadBody<ulong>? header = null)
    {
        try
        {
            var reader = new WireReader(bytes);
            header?.Invoke(ref reader);
            var item = Read(ref reader);
            reader.EnsureEnd();
            return item;
        }
        catch (Exception e) when (e is WireFormatException or ArgumentException)
        {
            throw new SerializationException($"corrupt {record} of manifest \"{Manifest}\" ({Type.Name}, {bytes.Length} bytes): {e.Message}", e);
        }
    }

    private sealed class Typed<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read)
        : MessageCodec(typeof(T), manifest)
    {
        public override void Write(WireWriter writer, object message) => write(writer, (T)message);

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }
}
