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

    public static IReadOnlyDictionary<string, double> SortedQuantities(ref WireReader r, string what) =>
        new SortedDictionary<string, double>(
            r.ReadQuantities(what)?.ToDictionary(StringComparer.Ordinal) ?? throw Missing(what), StringComparer.Ordinal);

    public static IReadOnlySet<string>? SortedSet(ref WireReader r, string what) =>
        r.ReadStringSet(what) is { } names ? new SortedSet<string>(names, StringComparer.Ordinal) : null;

    /// <summary>A set the record requires (immunities: empty, never null).</summary>
    public static IReadOnlySet<string> RequiredSortedSet(ref WireReader r, string what) => SortedSet(ref r, what) ?? throw Missing(what);

    /// <summary>A list's count, which may not be null, checked against the bytes left (each element takes at least <paramref name="minElementSize"/>).</summary>
    public static int Count(ref WireReader r, string what, int minElementSize) =>
        r.ReadCount(what, minElementSize) ?? throw Missing(what);

    public static WireFormatException Missing(string what) => new($"{what}: null where a value is required");
}
