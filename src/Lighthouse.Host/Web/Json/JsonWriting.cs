using System.Text.Json;
using Lighthouse.Host.Cli;

namespace Lighthouse.Host.Web.Json;

/// <summary>
/// Small helpers shared by the API's JSON writers. Times, quantities and priority counts are written by the
/// command line's <see cref="JsonOutput"/>, so the API and <c>lighthouse … --json</c> spell every value the same way.
/// </summary>
public static class JsonWriting
{
    public static void StringOrNull(Utf8JsonWriter writer, string name, string? value) => JsonOutput.WriteNullableString(writer, name, value);

    /// <summary>ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T09:30:00.125Z</c>; null when absent.</summary>
    public static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? value) => JsonOutput.WriteTimestamp(writer, name, value);

    /// <summary>Seconds as a JSON number (durations are read by scripts and charts, which want numbers).</summary>
    public static void Seconds(Utf8JsonWriter writer, string name, TimeSpan value) => writer.WriteNumber(name, value.TotalSeconds);

    /// <summary>A name → quantity object in name order; infinities as <c>"Infinity"</c>/<c>"-Infinity"</c>, as in scenarios.</summary>
    public static void Quantities(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> quantities) =>
        JsonOutput.WriteQuantities(writer, name, quantities);

    public static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>Priority → count as an object keyed by the priority's decimal text, in priority order.</summary>
    public static void CountsByPriority(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, int> counts) =>
        JsonOutput.WritePriorityCounts(writer, name, counts);
}
