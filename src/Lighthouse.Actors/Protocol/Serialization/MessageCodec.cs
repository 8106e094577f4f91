using System.Runtime.Serialization;

namespace Lighthouse.Protocol.Serialization;

/// <summary>Reads the fields of an extended encoding that follow the old ones, into the message read so far.</summary>
internal delegate T ExtensionBody<T>(ref WireReader reader, T message);

/// <summary>How one message type crosses the wire: its manifest and how its fields are written and read.</summary>
internal abstract class MessageCodec(Type type, string manifest)
{
    public Type Type { get; } = type;

    /// <summary>Short and stable: it travels with every message and must mean the same type to every node of a cluster.</summary>
    public string Manifest { get; } = manifest;

    /// <summary>
    /// The manifest <paramref name="message"/> is written under: <see cref="Manifest"/>, or the manifest of an extended encoding
    /// (see <see cref="Extended{T}"/>) for a message that carries fields added after the type's first release.
    /// </summary>
    public virtual string ManifestOf(object message) => Manifest;

    /// <summary>The codecs that read this type, by manifest: itself, and its extended encoding if it has one.</summary>
    public virtual IEnumerable<MessageCodec> Readers => [this];

    public abstract void Write(WireWriter writer, object message);

    public abstract object Read(ref WireReader reader);

    public static MessageCodec For<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read) =>
        new Typed<T>(manifest, write, read);

    /// <summary>
    /// A type that gained fields after its first release, which an encoding cannot simply append: a record inside a batch or
    /// a list is followed by the next one, so "bytes left" does not say whether the new fields are there. A message without
    /// the new fields (<paramref name="isExtended"/> false) is written under <paramref name="manifest"/> exactly as before;
    /// one with them under <paramref name="extendedManifest"/>, the old encoding followed by <paramref name="writeExtension"/>.
    /// Both manifests read, so every encoding ever written still reads, and a peer that never knew the new fields reads every
    /// message that does not use them.
    /// </summary>
    public static MessageCodec Extended<T>(
        string manifest, string extendedManifest, Func<T, bool> isExtended,
        Action<WireWriter, T> write, ReadBody<T> read, Action<WireWriter, T> writeExtension, ExtensionBody<T> readExtension) =>
        new WithExtension<T>(manifest, extendedManifest, isExtended, write, read, writeExtension, readExtension);

    /// <summary>
    /// A type extended more than once (see <see cref="Extended{T}"/>): extension k is written under its own manifest, after the
    /// old encoding and every earlier extension. A message is written under the manifest of the last extension it uses, so
    /// each encoding ever written reads under its manifest as it always did.
    /// </summary>
    public static MessageCodec Extended<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read, params Extension<T>[] extensions) =>
        new WithExtensions<T>(manifest, write, read, extensions);

    /// <summary>One later extension of a type: its manifest, whether a message uses it, how its fields are written and read.</summary>
    internal sealed record Extension<T>(string Manifest, Func<T, bool> Uses, Action<WireWriter, T> Write, ExtensionBody<T> Read);

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

    private sealed class WithExtension<T>(
        string manifest, string extendedManifest, Func<T, bool> isExtended,
        Action<WireWriter, T> write, ReadBody<T> read, Action<WireWriter, T> writeExtension, ExtensionBody<T> readExtension)
        : MessageCodec(typeof(T), manifest)
    {
        private readonly MessageCodec _extendedReader = For<T>(extendedManifest,
            (w, m) => { write(w, m); writeExtension(w, m); },
            (ref r) => readExtension(ref r, read(ref r)));

        public override string ManifestOf(object message) => isExtended((T)message) ? extendedManifest : Manifest;

        public override IEnumerable<MessageCodec> Readers => [this, _extendedReader];

        public override void Write(WireWriter writer, object message)
        {
            var typed = (T)message;
            write(writer, typed);
            if (isExtended(typed)) writeExtension(writer, typed);
        }

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }

    private sealed class WithExtensions<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read, Extension<T>[] extensions)
        : MessageCodec(typeof(T), manifest)
    {
        /// <summary>The number of extensions <paramref name="message"/> is written with: up to the last one it uses.</summary>
        private int Depth(T message)
        {
            for (var k = extensions.Length; k > 0; k--)
                if (extensions[k - 1].Uses(message)) return k;
            return 0;
        }

        public override string ManifestOf(object message) => Depth((T)message) is var depth and > 0 ? extensions[depth - 1].Manifest : Manifest;

        public override IEnumerable<MessageCodec> Readers =>
            [this, .. Enumerable.Range(1, extensions.Length).Select(depth => For<T>(extensions[depth - 1].Manifest,
                (w, m) => WriteTo(w, m, depth),
                (ref r) => ReadFrom(ref r, depth)))];

        public override void Write(WireWriter writer, object message)
        {
            var typed = (T)message;
            WriteTo(writer, typed, Depth(typed));
        }

        public override object Read(ref WireReader reader) => read(ref reader)!;

        private void WriteTo(WireWriter writer, T message, int depth)
        {
            write(writer, message);
            for (var k = 0; k < depth; k++) extensions[k].Write(writer, message);
        }

        private T ReadFrom(ref WireReader reader, int depth)
        {
            var message = read(ref reader);
            for (var k = 0; k < depth; k++) message = extensions[k].Read(ref reader, message);
            return message;
        }
    }

    private sealed class Typed<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read)
        : MessageCodec(typeof(T), manifest)
    {
        public override void Write(WireWriter writer, object message) => write(writer, (T)message);

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }
}
