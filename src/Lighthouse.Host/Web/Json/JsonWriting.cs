using System.Text.Json;
using Lighthouse.Placement.Json;

namespace Lighthouse.Host.Web.Json;

/// <summary>Small helpers shared by the JSON writers, so every time, duration and quantity is written one way.</summary>
public static class JsonWriting
{
    public static void StringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    /// <summary>ISO-8601 in UTC with a <c>Z</c>, e.g. <c>2026-11-23T19:35:32.1234567Z</c>; null when absent.</summary>
    public static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time) writer.WriteString(name, time.UtcDateTime);
        else writer.WriteNull(name);
    }

    /// <summary>Seconds as a JSON number (durations are read by scripts and charts, which want numbers).</summary>
    public static void Seconds(Utf8JsonWriter writer, string name, TimeSpan value) => writer.WriteNumber(name, value.TotalSeconds);

    /// <summary>A name → quantity object; infinities as <c>"Infinity"</c>/<c>"-Infinity"</c>, as in scenarios.</summary>
    public static void Quantities(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> quantities)
    {
        writer.WritePropertyName(name);
        QuantityMapJson.Write(writer, quantities.OrderBy(q => q.Key, StringComparer.Ordinal));
    }

    public static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>Priority → count as an object keyed by the priority's decimal text, in priority order.</summary>
    public static void CountsByPriority(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (priority, count) in counts.OrderBy(c => c.Key))
            writer.WriteNumber(priority.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
        writer.WriteEndObject();
    }
}
