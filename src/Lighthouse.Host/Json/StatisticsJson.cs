using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary><c>GET /api/stats</c>: finished tasks per task name, with run and wait times in seconds.</summary>
public static class StatisticsJson
{
    public static void Write(Utf8JsonWriter writer, StatisticsView view)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("task_names");
        foreach (var name in view.TaskNames)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name.TaskName);
            writer.WriteNumber("finished", name.Finished);
            writer.WriteNumber("succeeded", name.Succeeded);
            writer.WriteNumber("failed", name.Failed);
            writer.WriteNumber("cancelled", name.Cancelled);
            WriteDurations(writer, "run_time", name.RunTime);
            WriteDurations(writer, "wait_time", name.WaitTime);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteDurations(Utf8JsonWriter writer, string name, DurationSummary? summary)
    {
        if (summary is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        writer.WriteNumber("count", summary.Count);
        writer.WriteSeconds("min_seconds", summary.Min);
        writer.WriteSeconds("mean_seconds", summary.Mean);
        writer.WriteSeconds("max_seconds", summary.Max);
        writer.WriteEndObject();
    }
}
