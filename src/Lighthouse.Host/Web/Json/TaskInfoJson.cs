using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web.Json;

/// <summary>
/// The task status object, the same as <c>lighthouse status --json</c> prints: <c>id</c>, <c>name</c>, <c>user</c>,
/// <c>priority</c>, <c>state</c> (<c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>),
/// <c>progress</c>, <c>result</c> (the JSON value itself), <c>error</c>, <c>node</c>, <c>attempts</c>,
/// <c>pending_reason</c>, <c>submitted_at</c>, <c>started_at</c>, <c>finished_at</c> (ISO-8601 UTC or null).
/// </summary>
public static class TaskInfoJson
{
    public static void Write(Utf8JsonWriter writer, TaskInfo task)
    {
        writer.WriteStartObject();
        writer.WriteString("id", task.TaskId);
        writer.WriteString("name", task.TaskName);
        writer.WriteString("user", task.UserId);
        writer.WriteNumber("priority", task.Priority);
        writer.WriteString("state", StateName(task.State));
        writer.WriteNumber("progress", task.Progress);
        writer.WritePropertyName("result");
        // The scheduler only accepts results that are valid JSON, so the text is written as the value it is.
        if (task.Result is { } result) writer.WriteRawValue(result);
        else writer.WriteNullValue();
        JsonWriting.StringOrNull(writer, "error", task.Error);
        JsonWriting.StringOrNull(writer, "node", task.Node);
        writer.WriteNumber("attempts", task.Attempts);
        JsonWriting.StringOrNull(writer, "pending_reason", task.PendingReason);
        JsonWriting.Time(writer, "submitted_at", task.SubmittedAt);
        JsonWriting.Time(writer, "started_at", task.StartedAt);
        JsonWriting.Time(writer, "finished_at", task.FinishedAt);
        writer.WriteEndObject();
    }

    /// <summary>The lower-case state name the API and the CLI use.</summary>
    public static string StateName(TaskState state) => state switch
    {
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown task state"),
    };
}
