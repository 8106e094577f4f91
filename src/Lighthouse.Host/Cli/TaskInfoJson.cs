using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary>
/// The task status object of <c>status --json</c> and <c>wait --json</c>, with exactly these keys in this order:
/// <c>id, name, user, priority, state, progress, result, error, node, attempts, pending_reason, waits_for_capacity,
/// submitted_at, started_at, finished_at</c>. <c>result</c> is the task's JSON value itself; timestamps are ISO-8601 UTC or
/// null; <c>waits_for_capacity</c> is true, false or null as <see cref="TaskInfo.WaitsForCapacity"/>.
/// </summary>
public static class TaskInfoJson
{
    public static string Format(TaskInfo info) => JsonOutput.Document(writer => Write(writer, info));

    public static void Write(Utf8JsonWriter writer, TaskInfo info)
    {
        writer.WriteStartObject();
        writer.WriteString("id", info.TaskId);
        writer.WriteString("name", info.TaskName);
        writer.WriteString("user", info.UserId);
        writer.WriteNumber("priority", info.Priority);
        writer.WriteString("state", StateName(info.State));
        writer.WriteNumber("progress", info.Progress);
        JsonOutput.WriteJsonValue(writer, "result", info.Result);
        JsonOutput.WriteNullableString(writer, "error", info.Error);
        JsonOutput.WriteNullableString(writer, "node", info.Node);
        writer.WriteNumber("attempts", info.Attempts);
        JsonOutput.WriteNullableString(writer, "pending_reason", info.PendingReason);
        if (info.WaitsForCapacity is { } waits) writer.WriteBoolean("waits_for_capacity", waits);
        else writer.WriteNull("waits_for_capacity");
        JsonOutput.WriteTimestamp(writer, "submitted_at", info.SubmittedAt);
        JsonOutput.WriteTimestamp(writer, "started_at", info.StartedAt);
        JsonOutput.WriteTimestamp(writer, "finished_at", info.FinishedAt);
        writer.WriteEndObject();
    }

    /// <summary><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public static string StateName(TaskState state) => state switch
    {
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a task state"),
    };
}
