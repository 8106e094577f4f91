using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Json;

/// <summary>The scheduler's monitor views (nodes, queues, statistics, history) as snake_case JSON.</summary>
public static class MonitorViewsJson
{
    /// <summary>The same object as <c>lighthouse nodes --json</c>.</summary>
    public static void Write(Utf8JsonWriter writer, NodesView view)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("nodes");
        foreach (var node in view.Nodes)
        {
            writer.WriteStartObject();
            WriteNodeFields(writer, node, runningIds: true);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A node's fields in the command line's order; the overview writes running tasks with their progress instead of <c>running_tasks</c>.</summary>
    public static void WriteNodeFields(Utf8JsonWriter writer, NodeView node, bool runningIds)
    {
        writer.WriteString("name", node.Node);
        writer.WriteString("state", node.State == WorkerNodeState.Reachable ? "reachable" : "unreachable");
        writer.WriteNumber("slots", node.Slots);
        writer.WriteNumber("free_slots", node.FreeSlots);
        if (runningIds) JsonWriting.Strings(writer, "running_tasks", node.RunningTasks);
        JsonWriting.Strings(writer, "task_names", node.TaskNames);
        writer.WriteStartObject("priorities");
        writer.WriteNumber("min", node.Priorities.Min);
        writer.WriteNumber("max", node.Priorities.Max);
        writer.WriteEndObject();
        JsonWriting.Quantities(writer, "capacity", node.Capacity);
        JsonWriting.Quantities(writer, "free", node.Free);
        JsonWriting.Time(writer, "registered_at", node.RegisteredAt);
    }

    /// <summary>The same object as <c>lighthouse queues --json</c>.</summary>
    public static void Write(Utf8JsonWriter writer, QueuesView view)
    {
        writer.WriteStartObject();
        writer.WriteNumber("queued", view.Queued);
        writer.WriteNumber("running", view.Running);
        JsonWriting.CountsByPriority(writer, "queued_by_priority", view.QueuedByPriority);
        writer.WriteStartArray("users");
        foreach (var user in view.Users)
        {
            writer.WriteStartObject();
            writer.WriteString("user", user.UserId);
            writer.WriteNumber("queued", user.Queued);
            writer.WriteNumber("running", user.Running);
            JsonWriting.CountsByPriority(writer, "queued_by_priority", user.QueuedByPriority);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

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
            Durations(writer, "run_time", name.RunTime);
            Durations(writer, "wait_time", name.WaitTime);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, HistoryView view)
    {
        writer.WriteStartObject();
        JsonWriting.Seconds(writer, "interval_seconds", view.Interval);
        writer.WriteStartArray("samples");
        foreach (var sample in view.Samples)
        {
            writer.WriteStartObject();
            JsonWriting.Time(writer, "start", sample.Start);
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

    private static void Durations(Utf8JsonWriter writer, string name, DurationSummary? summary)
    {
        if (summary is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        writer.WriteNumber("count", summary.Count);
        JsonWriting.Seconds(writer, "min_seconds", summary.Min);
        JsonWriting.Seconds(writer, "mean_seconds", summary.Mean);
        JsonWriting.Seconds(writer, "max_seconds", summary.Max);
        writer.WriteEndObject();
    }
}
