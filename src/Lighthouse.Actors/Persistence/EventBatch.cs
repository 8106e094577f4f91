using System.Collections.Frozen;
using Lighthouse.Protocol.Serialization;
using Lighthouse.Scheduling;

namespace Lighthouse.Persistence;

/// <summary>
/// Scheduler events written as one journal row: one encoding, one INSERT and one sequence number for all the
/// events a flush gathered (see <see cref="JournalBatch"/>), instead of one of each per event. Recovery applies
/// them in order, as if they had been stored one by one; journals written before batches hold one event per
/// row, and still recover.
/// </summary>
internal sealed record EventBatch(IReadOnlyList<SchedulerEvent> Events)
{
    /// <summary>Events in one row at most: like the wire's batches, so a replayed row stays a modest allocation.</summary>
    public const int MaxEvents = 256;

    /// <summary>
    /// Roughly the most text (payloads, results, errors) one row holds. Past it the next event starts a new row,
    /// so a drain of many large submissions is several rows rather than one row of hundreds of MB; a single event
    /// larger than this still goes alone. Under .NET's 85 KB large-object threshold (the estimate is an upper bound),
    /// so a row's encoding and the plugin's copies of it are ordinary short-lived allocations; the rows of one write
    /// still go in one transaction.
    /// </summary>
    public const int MaxBytes = 48 * 1024;

    /// <summary>
    /// The rows for <paramref name="events"/> (at least one), in order: as few as <see cref="MaxEvents"/> and
    /// <see cref="MaxBytes"/> allow, which for ordinary events is one.
    /// </summary>
    public static IReadOnlyList<EventBatch> Rows(IReadOnlyList<SchedulerEvent> events)
    {
        if (events.Count == 0) throw new ArgumentException("a journal row holds at least one event", nameof(events));
        var rows = new List<EventBatch>(1);
        var start = 0;
        var bytes = 0L;
        for (var i = 0; i < events.Count; i++)
        {
            var size = EstimatedSize(events[i]);
            if (i > start && (i - start == MaxEvents || bytes + size > MaxBytes))
            {
                rows.Add(new EventBatch(Slice(events, start, i)));
                (start, bytes) = (i, 0);
            }
            bytes += size;
        }
        rows.Add(new EventBatch(start == 0 ? events : Slice(events, start, events.Count)));
        return rows;
    }

    private static SchedulerEvent[] Slice(IReadOnlyList<SchedulerEvent> events, int from, int to)
    {
        var slice = new SchedulerEvent[to - from];
        for (var i = from; i < to; i++) slice[i - from] = events[i];
        return slice;
    }

    /// <summary>An upper-bound guess of an event's stored size: its free text (UTF-8 takes at most 3 bytes per UTF-16 unit) and a fixed allowance for the rest.</summary>
    private static long EstimatedSize(SchedulerEvent change) => 128 + 3L * change switch
    {
        TaskSubmitted s => s.Payload.Length,
        TaskFinished f => (f.Result?.Length ?? 0) + (f.Error?.Length ?? 0),
        TaskUnplaced u => u.Reason.Length,
        _ => 0,
    };
}

/// <summary>
/// The stored encoding of an <see cref="EventBatch"/>: the count, then each event as its own manifest and its own
/// encoding (<see cref="EventCodecs"/>), under the record's one format version. A row of no events, a manifest that is
/// not an event's, or a damaged event fails the whole row, naming the event.
/// </summary>
internal static class EventBatchCodec
{
    public const string Manifest = "EB";

    private static readonly FrozenDictionary<Type, MessageCodec> ByType = EventCodecs.All.ToFrozenDictionary(c => c.Type);
    private static readonly FrozenDictionary<string, MessageCodec> ByManifest = EventCodecs.All.SelectMany(c => c.Readers).ToFrozenDictionary(c => c.Manifest, StringComparer.Ordinal);

    public static MessageCodec Codec { get; } = MessageCodec.For<EventBatch>(Manifest, Write, Read);

    private static void Write(WireWriter w, EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch.Events);
        if (batch.Events.Count == 0) throw new System.Runtime.Serialization.SerializationException("an event batch holds at least one event");
        w.WriteCount(batch.Events.Count);
        foreach (var change in batch.Events)
        {
            ArgumentNullException.ThrowIfNull(change);
            var codec = ByType.GetValueOrDefault(change.GetType())
                ?? throw new System.Runtime.Serialization.SerializationException(
                    $"{change.GetType().FullName} has no scheduler journal encoding: add a codec for it in Persistence/EventCodecs.cs");
            w.WriteString(codec.ManifestOf(change));
            codec.Write(w, change);
        }
    }

    private static EventBatch Read(ref WireReader r)
    {
        // Each event takes at least its manifest (a length and two letters) and a timestamp.
        var count = r.ReadCount("EventBatch.Events", minElementSize: 3)
            ?? throw new WireFormatException("EventBatch.Events: null where a list of events is required");
        if (count == 0) throw new WireFormatException("EventBatch.Events: no events (a batch is written only with events)");
        var events = new SchedulerEvent[count];
        for (var i = 0; i < count; i++)
        {
            var manifest = r.ReadString("EventBatch manifest")
                ?? throw new WireFormatException($"EventBatch: event {i + 1} of {count} has no manifest");
            var codec = ByManifest.GetValueOrDefault(manifest)
                ?? throw new WireFormatException($"EventBatch: event {i + 1} of {count} has the manifest \"{manifest}\", which is not a scheduler event's");
            try
            {
                events[i] = (SchedulerEvent)codec.Read(ref r);
            }
            catch (Exception e) when (e is WireFormatException or ArgumentException)
            {
                throw new WireFormatException($"EventBatch: event {i + 1} of {count} ({codec.Type.Name}): {e.Message}");
            }
        }
        return new EventBatch(events);
    }
}
