using Lighthouse.Client;

namespace Lighthouse.Host.Json;

/// <summary>
/// <c>lighthouse cancel --json</c>: <c>{"id", "outcome": "cancelled" | "pending" | "already_finished", "node", "state"}</c>,
/// <c>node</c> set when pending and <c>state</c> when already finished, else null.
/// </summary>
public static class CancelResultJson
{
    public static string Format(CancelResult result) => JsonText.Document(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", result.TaskId);
        writer.WriteString("outcome", result.Outcome switch
        {
            CancelOutcome.Cancelled => "cancelled",
            CancelOutcome.Pending => "pending",
            _ => "already_finished",
        });
        writer.WriteStringOrNull("node", result.Node);
        writer.WriteStringOrNull("state", result.FinishedState is { } state ? TaskInfoJson.StateName(state) : null);
        writer.WriteEndObject();
    });
}
