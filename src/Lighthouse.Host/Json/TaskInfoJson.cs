using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>
/// The task status object of <c>status --json</c>, <c>wait --json</c> and <c>GET /api/tasks/{id}</c>, with exactly these keys in this order:
/// <c>id, name, user, priority, state, progress, result, error, node, attempts, pending_reason, waits_for_capacity,
/// submitted_at, started_at, finished_at, retry, timeout_ms, not_before, next_attempt_at, retries, attempt_errors, after,
/// dependents, concurrency_key</c>.
/// <c>result</c> is the task's JSON value itself; timestamps are ISO-8601 UTC or null; <c>waits_for_capacity</c> is true,
/// false or null as <see cref="TaskInfo.WaitsForCapacity"/>; <c>retry</c> is <c>{attempts, backoff_ms, max_backoff_ms}</c>
/// (as submitted) or null; <c>attempt_errors</c> the errors of the retried attempts, oldest first; <c>after</c> the tasks it
/// waits for, <c>dependents</c> the unfinished task's waiting children, <c>concurrency_key</c> its key or null (docs/task-policies.md).
/// </summary>
public static class TaskInfoJson
{
    public static string Format(TaskInfo info) => JsonText.Document(writer => Write(writer, info));

    public static void Write(Utf8JsonWriter writer, TaskInfo info)
    {
        writer.WriteStartObject();
        writer.WriteString("id", info.TaskId);
        writer.WriteString("name", info.TaskName);
        writer.WriteString("user", info.UserId);
        writer.WriteNumber("priority", info.Priority);
        writer.WriteString("state", StateName(info.State));
        writer.WriteNumber("progress", info.Progress);
        writer.WriteJsonOrString("result", info.Result);
        writer.WriteStringOrNull("error", info.Error);
        writer.WriteStringOrNull("node", info.Node);
        writer.WriteNumber("attempts", info.Attempts);
        writer.WriteStringOrNull("pending_reason", info.PendingReason);
        if (info.WaitsForCapacity is { } waits) writer.WriteBoolean("waits_for_capacity", waits);
        else writer.WriteNull("waits_for_capacity");
        TimestampJson.Write(writer, "submitted_at", info.SubmittedAt);
        TimestampJson.Write(writer, "started_at", info.StartedAt);
        TimestampJson.Write(writer, "finished_at", info.FinishedAt);
        WriteRetry(writer, info.Retry);
        if (info.Timeout is { } timeout) writer.WriteNumber("timeout_ms", timeout.TotalMilliseconds);
        else writer.WriteNull("timeout_ms");
        TimestampJson.Write(writer, "not_before", info.NotBefore);
        TimestampJson.Write(writer, "next_attempt_at", info.NextAttemptAt);
        writer.WriteNumber("retries", info.Retries);
        writer.WriteStringArray("attempt_errors", info.AttemptErrors ?? []);
        writer.WriteStringArray("after", info.After ?? []);
        writer.WriteStringArray("dependents", info.Dependents ?? []);
        writer.WriteStringOrNull("concurrency_key", info.ConcurrencyKey);
        writer.WriteEndObject();
    }

    /// <summary>The retry policy as the HTTP API takes it: <c>{"attempts": N, "backoff_ms": B, "max_backoff_ms": M or null}</c>, or null.</summary>
    public static void WriteRetry(Utf8JsonWriter writer, RetryPolicy? retry)
    {
        if (retry is null)
        {
            writer.WriteNull("retry");
            return;
        }
        writer.WriteStartObject("retry");
        writer.WriteNumber("attempts", retry.Attempts);
        writer.WriteNumber("backoff_ms", retry.Backoff.TotalMilliseconds);
        if (retry.MaxBackoff is { } max) writer.WriteNumber("max_backoff_ms", max.TotalMilliseconds);
        else writer.WriteNull("max_backoff_ms");
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
