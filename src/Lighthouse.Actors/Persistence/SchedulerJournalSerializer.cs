using System.Collections.Frozen;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Persistence;

/// <summary>
/// How the scheduler's events and snapshots are stored: the binary encoding of <see cref="EventCodecs"/>,
/// <see cref="EventBatchCodec"/> and <see cref="SnapshotCodec"/> behind a two-letter manifest, each record starting with a format version byte
/// so the encoding can evolve while old journals stay readable. Akka's default JSON serializer never sees
/// them: it is slower, larger, and ties the stored form to .NET type names.
/// Registered by <see cref="PersistenceConfig"/>.
/// </summary>
public sealed class SchedulerJournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored with every event and snapshot; must never change (4053 is the wire serializer).</summary>
    public const int SerializerId = 4054;

    /// <summary>The format this build writes, and the newest it reads.</summary>
    public const byte FormatVersion = 1;

    private static readonly IReadOnlyList<MessageCodec> Codecs = [.. EventCodecs.All, EventBatchCodec.Codec, SnapshotCodec.Codec];
    private static readonly FrozenDictionary<Type, MessageCodec> ByType = Codecs.ToFrozenDictionary(c => c.Type);
    private static readonly FrozenDictionary<string, MessageCodec> ByManifest = Codecs.SelectMany(c => c.Readers).ToFrozenDictionary(c => c.Manifest, StringComparer.Ordinal);

    /// <summary>The types this serializer stores: every scheduler event, the batch of events the scheduler writes as one row, and the snapshot.</summary>
    public static IReadOnlyList<Type> OwnedTypes { get; } = Codecs.Select(c => c.Type).ToArray();

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => CodecFor(o).ManifestOf(o);

    public override byte[] ToBinary(object obj) => Encode(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Decode(bytes, manifest);

    /// <summary>The stored bytes of an event or snapshot (usable without an actor system).</summary>
    internal static byte[] Encode(object item)
    {
        var codec = CodecFor(item);
        var snapshot = item as SchedulerSnapshot;
        var writer = snapshot is not null ? WireWriter.Rent(SnapshotSizeHint(snapshot)) : WireWriter.Rent();
        writer.WriteUInt(FormatVersion);
        codec.Encode(writer, item, "store");
        var bytes = writer.ToArray();
        if (snapshot is not null)
        {
            Volatile.Write(ref _lastSnapshotBytes, bytes.Length);
            writer.ReleaseLargeBuffer();
        }
        return bytes;
    }

    // The size of the last snapshot this process encoded: the next one is sized from it, with room to grow, so that
    // encoding a large state allocates its buffer once instead of doubling its way up from a few bytes.
    private static int _lastSnapshotBytes;

    // A first snapshot (the one a long recovery takes) has no last size: it is sized from its tasks, which a snapshot of
    // a queue of 20-byte payloads stores in ~115 bytes each; more text only means the buffer doubles from there.
    private const int SnapshotBytesPerTask = 128;

    private static int SnapshotSizeHint(SchedulerSnapshot snapshot)
    {
        var last = (long)Volatile.Read(ref _lastSnapshotBytes);
        var fromLast = last + last / 8 + 4096;
        var fromTasks = (long)snapshot.Image.Tasks.Count * SnapshotBytesPerTask + 4096;
        return (int)Math.Min(Math.Max(fromLast, fromTasks), Array.MaxLength);
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; a <see cref="SerializationException"/> names the manifest and what is wrong.</summary>
    internal static object Decode(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var codec = ByManifest.GetValueOrDefault(manifest)
            ?? throw new SerializationException(
                $"unknown scheduler journal manifest \"{manifest}\" ({bytes.Length} bytes): written by a Lighthouse this build does not understand");
        return codec.Decode(bytes, "scheduler journal record", ReadFormatVersion);
    }

    private static ulong ReadFormatVersion(ref WireReader reader)
    {
        var version = reader.ReadUInt("format version");
        if (version is 0 or > FormatVersion)
            throw new WireFormatException($"format version {version}, but this build reads versions 1 to {FormatVersion} (written by a newer Lighthouse?)");
        return version;
    }

    private static MessageCodec CodecFor(object item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ByType.GetValueOrDefault(item.GetType())
            ?? throw new SerializationException($"{item.GetType().FullName} has no scheduler journal encoding: add a codec for it in Persistence/EventCodecs.cs");
    }
}
