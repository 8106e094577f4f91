using System.Collections.ObjectModel;
using Lighthouse.Protocol.Serialization;

namespace Lighthouse.Persistence;

/// <summary>
/// How the journal reads fields that events and snapshots share. Collections come back in ordinal order, as the
/// decisions built them, so a replayed record carries exactly what the live one did; a null where the record
/// requires a value is corruption.
/// </summary>
internal static class JournalFieldCodec
{
    /// <summary>Text a field must have.</summary>
    public static string Text(ref WireReader r, string what) => r.ReadString(what) ?? throw Missing(what);

    // Almost every submission has no requirements and no immunities: a replay of a million of them shares these two
    // (read-only, so sharing is safe) instead of allocating empty collections twice per event, or keeping one per task.
    private static readonly IReadOnlyDictionary<string, double> NoQuantities = ReadOnlyDictionary<string, double>.Empty;
    private static readonly IReadOnlySet<string> NoNames = ReadOnlySet<string>.Empty;

    public static IReadOnlyDictionary<string, double> SortedQuantities(ref WireReader r, string what) =>
        r.ReadQuantities(what, static _ => new SortedDictionary<string, double>(StringComparer.Ordinal), NoQuantities) ?? throw Missing(what);

    public static IReadOnlySet<string>? SortedSet(ref WireReader r, string what) =>
        r.ReadStringSet(what, static _ => new SortedSet<string>(StringComparer.Ordinal), NoNames);

    /// <summary>A set the record requires (immunities: empty, never null).</summary>
    public static IReadOnlySet<string> RequiredSortedSet(ref WireReader r, string what) => SortedSet(ref r, what) ?? throw Missing(what);

    /// <summary>A list's count, which may not be null, checked against the bytes left (each element takes at least <paramref name="minElementSize"/>).</summary>
    public static int Count(ref WireReader r, string what, int minElementSize) =>
        r.ReadCount(what, minElementSize) ?? throw Missing(what);

    public static WireFormatException Missing(string what) => new($"{what}: null where a value is required");
}
