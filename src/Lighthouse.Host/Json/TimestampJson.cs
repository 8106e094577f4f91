using System.Globalization;
using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>Instants as ISO-8601 UTC with milliseconds, e.g. <c>2025-01-31T09:30:00.125Z</c>, in JSON and text output alike.</summary>
public static class TimestampJson
{
    public static string Text(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The field <paramref name="name"/>: the instant's text, or null when absent.</summary>
    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value) writer.WriteString(name, Text(value));
        else writer.WriteNull(name);
    }
}
