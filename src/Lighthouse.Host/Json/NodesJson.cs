using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>The worker nodes as <c>lighthouse nodes --json</c> prints them and <c>GET /api/nodes</c> answers.</summary>
public static class NodesJson
{
    public static string Format(NodesView view) => JsonText.Document(writer => Write(writer, view));

    public static void Write(Utf8JsonWriter writer, NodesView view)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("nodes");
        foreach (var node in view.Nodes)
        {
            writer.WriteStartObject();
            WriteFields(writer, node, runningIds: true);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A node's fields; the overview writes running tasks with their progress instead of <c>running_tasks</c>.</summary>
    public static void WriteFields(Utf8JsonWriter writer, NodeView node, bool runningIds)
    {
        writer.WriteString("name", node.Node);
        writer.WriteString("state", StateName(node.State));
        writer.WriteNumber("slots", node.Slots);
        writer.WriteNumber("free_slots", node.FreeSlots);
        if (runningIds) writer.WriteStringArray("running_tasks", node.RunningTasks);
        writer.WriteStringArray("task_names", node.TaskNames);
        writer.WriteStartObject("priorities");
        writer.WriteNumber("min", node.Priorities.Min);
        writer.WriteNumber("max", node.Priorities.Max);
        writer.WriteEndObject();
        if (node.Lanes is { } lanes) WriteLanes(writer, lanes);
        QuantityMapJson.WriteByName(writer, "capacity", node.Capacity);
        QuantityMapJson.WriteByName(writer, "free", node.Free);
        TimestampJson.Write(writer, "registered_at", node.RegisteredAt);
    }

    /// <summary>A node's lanes, in its order; only a node with lanes has the field, so a node without is written as before lanes existed.</summary>
    private static void WriteLanes(Utf8JsonWriter writer, IReadOnlyList<LaneView> lanes)
    {
        writer.WriteStartArray("lanes");
        foreach (var lane in lanes)
        {
            writer.WriteStartObject();
            writer.WriteNumber("slots", lane.Slots);
            writer.WriteNumber("free_slots", lane.FreeSlots);
            writer.WriteNumber("used_slots", lane.Slots - lane.FreeSlots);
            writer.WriteStartObject("priorities");
            writer.WriteNumber("min", lane.Priorities.Min);
            writer.WriteNumber("max", lane.Priorities.Max);
            writer.WriteEndObject();
            if (lane.Nice is { } nice) writer.WriteNumber("nice", nice);
            else writer.WriteNull("nice");
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary><c>reachable</c> or <c>unreachable</c>.</summary>
    public static string StateName(WorkerNodeState state) => state == WorkerNodeState.Reachable ? "reachable" : "unreachable";
}
