using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>Concurrency limits as <c>lighthouse limits --json</c> prints them and <c>GET /api/limits</c> answers; one key as <c>PUT</c> answers.</summary>
public static class LimitsJson
{
    public static string Format(ConcurrencyLimitsView view) => JsonText.Document(writer => Write(writer, view));

    public static string Format(ConcurrencyKeyView key) => JsonText.Document(writer => WriteKey(writer, key));

    public static void Write(Utf8JsonWriter writer, ConcurrencyLimitsView view)
    {
        writer.WriteStartObject();
        WriteLimit(writer, "default_limit", view.DefaultLimit);
        writer.WriteNumber("waits", view.Waits);
        writer.WriteStartArray("keys");
        foreach (var key in view.Keys) WriteKey(writer, key);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"key", "limit" (null: unlimited), "configured_limit", "runtime_limit", "running", "queued" (holding a slot, not
    /// started yet), "waiting" (for a slot)}</c>.
    /// </summary>
    public static void WriteKey(Utf8JsonWriter writer, ConcurrencyKeyView key)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key.Key);
        WriteLimit(writer, "limit", key.Limit);
        WriteLimit(writer, "configured_limit", key.ConfiguredLimit);
        WriteLimit(writer, "runtime_limit", key.RuntimeLimit);
        writer.WriteNumber("running", key.Running);
        writer.WriteNumber("queued", key.Queued);
        writer.WriteNumber("waiting", key.Waiting);
        writer.WriteEndObject();
    }

    private static void WriteLimit(Utf8JsonWriter writer, string name, int? limit)
    {
        if (limit is { } value) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
