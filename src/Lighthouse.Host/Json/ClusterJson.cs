using System.Text.Json;
using Lighthouse.Host.Web.Monitor;

namespace Lighthouse.Host.Json;

/// <summary><c>GET /api/cluster</c>: the members, their status and roles, and which one runs the scheduler.</summary>
public static class ClusterJson
{
    public static void Write(Utf8JsonWriter writer, ClusterView cluster)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("clustered", cluster.Clustered);
        writer.WriteString("self", cluster.Self);
        writer.WriteStringOrNull("scheduler_host", cluster.SchedulerHost);
        writer.WriteStartArray("members");
        foreach (var member in cluster.Members)
        {
            writer.WriteStartObject();
            writer.WriteString("address", member.Address);
            writer.WriteString("status", member.Status);
            writer.WriteBoolean("reachable", member.Reachable);
            writer.WriteStringArray("roles", member.Roles);
            writer.WriteBoolean("runs_scheduler", member.RunsScheduler);
            writer.WriteBoolean("self", member.IsSelf);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
