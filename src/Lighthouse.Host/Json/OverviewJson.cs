using System.Text.Json;
using Lighthouse.Host.Web.Monitor;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>
/// <c>GET /api/overview</c>, the monitor page's one request per second: the cluster, the nodes with their running
/// tasks (id, name, user, progress), the queues, the oldest waiting task and the blocked ones (as task status
/// objects), the tasks waiting for a policy, statistics and history, each in the same shape as its own endpoint.
/// </summary>
public static class OverviewJson
{
    /// <summary>At most this many blocked tasks are listed; <c>blocked.count</c> counts them all.</summary>
    public const int MaxBlockedListed = 10;

    public static void Write(Utf8JsonWriter writer, Overview overview)
    {
        writer.WriteStartObject();
        TimestampJson.Write(writer, "generated_at", overview.GeneratedAt);

        writer.WritePropertyName("cluster");
        ClusterJson.Write(writer, overview.Cluster);

        writer.WriteStartArray("nodes");
        foreach (var node in overview.Nodes.Nodes)
        {
            writer.WriteStartObject();
            NodesJson.WriteFields(writer, node, runningIds: false);
            writer.WriteStartArray("running");
            foreach (var id in node.RunningTasks) RunningTask(writer, id, overview.RunningTasks.GetValueOrDefault(id));
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WritePropertyName("queues");
        QueuesJson.Write(writer, overview.Queues);

        writer.WritePropertyName("oldest_waiting");
        if (overview.Waiting.Oldest is { } oldest) TaskInfoJson.Write(writer, oldest);
        else writer.WriteNullValue();

        writer.WriteStartObject("blocked");
        // The scheduler's count over every queued task, the same tasks as queues.queued counts; the tasks listed are samples
        // from the users listed. (Counting the listed users' tasks once said "116 tasks are waiting" of 21,437.)
        writer.WriteNumber("count", overview.Queues.UserCount is null ? overview.Waiting.Blocked.Count : overview.Queues.Blocked);
        writer.WriteNumber("free_slots", overview.Nodes.Nodes.Where(n => n.State == WorkerNodeState.Reachable).Sum(n => n.FreeSlots));
        writer.WriteStartArray("tasks");
        foreach (var task in overview.Waiting.Blocked.Take(MaxBlockedListed)) TaskInfoJson.Write(writer, task);
        writer.WriteEndArray();
        writer.WriteEndObject();

        WritePolicies(writer, overview.Policies);

        writer.WritePropertyName("stats");
        StatisticsJson.Write(writer, overview.Statistics);
        writer.WritePropertyName("history");
        HistoryJson.Write(writer, overview.History);
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>waiting_for_policies</c>: the counts of tasks waiting for each kind of policy, over every task (none of them is in
    /// <c>queues.queued</c>), and a few of them with their pending reasons (<see cref="PolicyWaiting.MaxListed"/> at most).
    /// </summary>
    private static void WritePolicies(Utf8JsonWriter writer, PolicyWaiting policies)
    {
        writer.WriteStartObject("waiting_for_policies");
        writer.WriteNumber("delayed", policies.Delayed);
        writer.WriteNumber("retrying", policies.Retrying);
        writer.WriteNumber("dependencies", policies.Dependencies);
        writer.WriteNumber("concurrency_key", policies.ConcurrencyKey);
        writer.WriteStartArray("tasks");
        foreach (var task in policies.Tasks)
        {
            writer.WriteStartObject();
            writer.WriteString("id", task.TaskId);
            writer.WriteString("name", task.TaskName);
            writer.WriteString("user", task.UserId);
            writer.WriteString("waits_for", WaitName(task.Kind));
            writer.WriteString("pending_reason", task.PendingReason);
            TimestampJson.Write(writer, "submitted_at", task.SubmittedAt);
            TimestampJson.Write(writer, "due_at", task.DueAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string WaitName(PolicyWait kind) => kind switch
    {
        PolicyWait.Delayed => "delayed",
        PolicyWait.Retrying => "retrying",
        PolicyWait.Dependencies => "dependencies",
        _ => "concurrency_key",
    };

    /// <summary>A running task on its node; only the id when its details were not listed (a user past the listing limit).</summary>
    private static void RunningTask(Utf8JsonWriter writer, string id, TaskInfo? task)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        if (task is not null)
        {
            writer.WriteString("name", task.TaskName);
            writer.WriteString("user", task.UserId);
            writer.WriteNumber("priority", task.Priority);
            writer.WriteNumber("progress", task.Progress);
            writer.WriteNumber("attempts", task.Attempts);
            TimestampJson.Write(writer, "started_at", task.StartedAt);
            writer.WriteBoolean("cancel_requested", task.CancelRequested);
        }
        writer.WriteEndObject();
    }
}
