using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>The small field kinds several writers share, next to <see cref="Utf8JsonWriter"/>'s own <c>WriteString</c>.</summary>
public static class Utf8JsonWriterExtensions
{
    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    public static void WriteStringArray(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>Seconds as a JSON number (durations are read by scripts and charts, which want numbers).</summary>
    public static void WriteSeconds(this Utf8JsonWriter writer, string name, TimeSpan value) => writer.WriteNumber(name, value.TotalSeconds);

    /// <summary>JSON text written as the value itself (not a string); text that is not JSON is written as a string rather than lost.</summary>
    public static void WriteJsonOrString(this Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // Not an error: a worker's result is opaque text, and this is how such text is shown.
            writer.WriteStringValue(json);
            return;
        }
        using (document) document.RootElement.WriteTo(writer);
    }
}
