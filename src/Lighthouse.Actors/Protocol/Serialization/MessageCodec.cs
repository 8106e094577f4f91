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
    /// A type extended twice: as <see cref="Extended{T}"/>, and, for a message that carries fields of the second round
    /// (<paramref name="isTagged"/>), under <paramref name="taggedManifest"/>: the old encoding, the first extension (always,
    /// even when empty), then a block of <see cref="TaggedFields"/> (<paramref name="writeTags"/> writes the fields, the codec
    /// the end). Later fields get a tag in that block instead of yet another manifest. A message of the second round is
    /// unreadable for a peer that knows only the first two manifests, as an extended one is for a peer that knows only the
    /// first; a message that uses neither keeps its old bytes.
    /// </summary>
    public static MessageCodec Tagged<T>(
        string manifest, string extendedManifest, string taggedManifest, Func<T, bool> isExtended, Func<T, bool> isTagged,
        Action<WireWriter, T> write, ReadBody<T> read, Action<WireWriter, T> writeExtension, ExtensionBody<T> readExtension,
        Action<WireWriter, T> writeTags, ExtensionBody<T> readTags) =>
        new WithTags<T>(manifest, extendedManifest, taggedManifest, isExtended, isTagged, write, read, writeExtension, readExtension, writeTags, readTags);

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

    private sealed class WithTags<T>(
        string manifest, string extendedManifest, string taggedManifest, Func<T, bool> isExtended, Func<T, bool> isTagged,
        Action<WireWriter, T> write, ReadBody<T> read, Action<WireWriter, T> writeExtension, ExtensionBody<T> readExtension,
        Action<WireWriter, T> writeTags, ExtensionBody<T> readTags)
        : MessageCodec(typeof(T), manifest)
    {
        private readonly MessageCodec _extendedReader = For<T>(extendedManifest,
            (w, m) => { write(w, m); writeExtension(w, m); },
            (ref r) => readExtension(ref r, read(ref r)));

        private readonly MessageCodec _taggedReader = For<T>(taggedManifest,
            (w, m) => WriteTagged(w, m, write, writeExtension, writeTags),
            (ref r) => readTags(ref r, readExtension(ref r, read(ref r))));

        public override string ManifestOf(object message)
        {
            var typed = (T)message;
            return isTagged(typed) ? taggedManifest : isExtended(typed) ? extendedManifest : Manifest;
        }

        public override IEnumerable<MessageCodec> Readers => [this, _extendedReader, _taggedReader];

        public override void Write(WireWriter writer, object message)
        {
            var typed = (T)message;
            if (isTagged(typed))
            {
                WriteTagged(writer, typed, write, writeExtension, writeTags);
                return;
            }
            write(writer, typed);
            if (isExtended(typed)) writeExtension(writer, typed);
        }

        private static void WriteTagged(WireWriter w, T m, Action<WireWriter, T> write, Action<WireWriter, T> writeExtension, Action<WireWriter, T> writeTags)
        {
            write(w, m);
            writeExtension(w, m);
            writeTags(w, m);
            TaggedFields.WriteEnd(w);
        }

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }

    private sealed class Typed<T>(string manifest, Action<WireWriter, T> write, ReadBody<T> read)
        : MessageCodec(typeof(T), manifest)
    {
        public override void Write(WireWriter writer, object message) => write(writer, (T)message);

        public override object Read(ref WireReader reader) => read(ref reader)!;
    }
}
