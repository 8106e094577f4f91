using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary><c>GET /api/history</c>: throughput and queue depth per interval, oldest first.</summary>
public static class HistoryJson
{
    public static void Write(Utf8JsonWriter writer, HistoryView view)
    {
        writer.WriteStartObject();
        writer.WriteSeconds("interval_seconds", view.Interval);
        writer.WriteStartArray("samples");
        foreach (var sample in view.Samples)
        {
            writer.WriteStartObject();
            TimestampJson.Write(writer, "start", sample.Start);
            writer.WriteNumber("submitted", sample.Submitted);
            writer.WriteNumber("started", sample.Started);
            writer.WriteNumber("finished", sample.Finished);
            writer.WriteNumber("queued", sample.Queued);
            writer.WriteNumber("running", sample.Running);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
