using System.Globalization;
using System.Text;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary>A task's status for people: one "label: value" line per known fact, absent facts left out.</summary>
public static class TaskInfoText
{
    public static string Format(TaskInfo info)
    {
        var text = new StringBuilder();
        void Line(string label, string? value)
        {
            if (value is not null) text.Append(CultureInfo.InvariantCulture, $"{label + ":",-11}{value}").AppendLine();
        }

        Line("task", info.TaskId);
        Line("name", info.TaskName);
        Line("user", info.UserId);
        Line("priority", info.Priority.ToString(CultureInfo.InvariantCulture));
        Line("state", TaskInfoJson.StateName(info.State) + (info.CancelRequested ? " (cancel requested)" : ""));
        Line("progress", Percent(info.Progress));
        Line("waiting", info.PendingReason);
        Line("node", info.Node);
        Line("attempts", $"{info.Attempts} of {info.MaxAttempts}");
        Line("submitted", TimestampJson.Text(info.SubmittedAt));
        Line("started", info.StartedAt is { } started ? TimestampJson.Text(started) : null);
        Line("finished", info.FinishedAt is { } finished ? TimestampJson.Text(finished) : null);
        Line("retry", info.Retry is { } retry
            ? $"{info.Retries} of {retry.Attempts} retries used, back-off {Duration(retry.Backoff)}" + (retry.MaxBackoff is { } max ? $" up to {Duration(max)}" : "")
            : null);
        Line("timeout", info.Timeout is { } timeout ? Duration(timeout) : null);
        Line("not before", info.NotBefore is { } notBefore ? TimestampJson.Text(notBefore) : null);
        Line("after", info.After is { Count: > 0 } after ? string.Join(", ", after) : null);
        Line("dependents", info.Dependents is { Count: > 0 } dependents ? string.Join(", ", dependents) : null);
        Line("key", info.ConcurrencyKey);
        Line("next try", info.NextAttemptAt is { } next ? TimestampJson.Text(next) : null);
        if (info.AttemptErrors is { Count: > 0 } errors)
        {
            foreach (var error in errors) Line("retried", error);
        }
        Line("error", info.Error);
        Line("result", info.Result);
        return text.ToString();
    }

    /// <summary>One line for a progress report: <c>queued (why)</c>, <c>running on NODE: 40%</c>, <c>failed: why</c>.</summary>
    public static string Summary(TaskInfo info) => info.State switch
    {
        TaskState.Queued => info.PendingReason is { } reason ? $"queued ({reason})" : "queued",
        TaskState.Running => $"running on {info.Node}: {Percent(info.Progress)}" + (info.CancelRequested ? ", cancel requested" : ""),
        TaskState.Failed => $"failed: {info.Error}",
        TaskState.Cancelled => info.Error is { } how ? $"cancelled: {how}" : "cancelled",
        _ => TaskInfoJson.StateName(info.State),
    };

    private static string Duration(TimeSpan span) => span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    public static string Percent(double progress) => progress.ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
