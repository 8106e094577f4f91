using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Cli;

/// <summary>How the client commands write JSON: indented, non-ASCII kept readable, timestamps ISO-8601 UTC.</summary>
public static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document <paramref name="write"/> writes, as text.</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An instant as ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T09:30:00.125Z</c>.</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value) writer.WriteString(name, Timestamp(value));
        else writer.WriteNull(name);
    }

    public static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    /// <summary>JSON text written as the value itself (not a string); text that is not JSON is written as a string rather than lost.</summary>
    public static void WriteJsonValue(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(json);
        }
    }

    /// <summary>Quantities by name in name order; infinite ones as the strings the placement JSON uses.</summary>
    public static void WriteQuantities(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> quantities)
    {
        writer.WriteStartObject(name);
        foreach (var (key, quantity) in quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            QuantityJson.Write(writer, quantity);
        }
        writer.WriteEndObject();
    }

    /// <summary>Counts per priority in priority order, keyed by the priority's digits (JSON keys are strings).</summary>
    public static void WritePriorityCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (priority, count) in counts.OrderBy(c => c.Key))
            writer.WriteNumber(priority.ToString(CultureInfo.InvariantCulture), count);
        writer.WriteEndObject();
    }
}
