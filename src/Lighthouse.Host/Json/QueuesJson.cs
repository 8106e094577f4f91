using System.Globalization;
using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>
/// Queue depths as <c>lighthouse queues --json</c> prints them and <c>GET /api/queues</c> answers: totals, then one page of users
/// busiest first, then (from a scheduler that pages) the total of users, the page's offset, the users after it and the blocked count.
/// </summary>
public static class QueuesJson
{
    public static string Format(QueuesView view) => JsonText.Document(writer => Write(writer, view));

    public static void Write(Utf8JsonWriter writer, QueuesView view)
    {
        writer.WriteStartObject();
        writer.WriteNumber("queued", view.Queued);
        writer.WriteNumber("running", view.Running);
        WriteCountsByPriority(writer, "queued_by_priority", view.QueuedByPriority);
        writer.WriteStartArray("users");
        foreach (var user in view.Users)
        {
            writer.WriteStartObject();
            writer.WriteString("user", user.UserId);
            writer.WriteNumber("queued", user.Queued);
            writer.WriteNumber("running", user.Running);
            WriteCountsByPriority(writer, "queued_by_priority", user.QueuedByPriority);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        // A page (issue 13): the users listed are `offset` onwards in busiest-first order; `more_users` follow them.
        if (view.UserCount is { } total)
        {
            writer.WriteNumber("users_total", total);
            writer.WriteNumber("offset", view.Offset);
            writer.WriteNumber("more_users", view.MoreUsers);
            writer.WriteNumber("blocked", view.Blocked);
        }
        writer.WriteEndObject();
    }

    /// <summary>Counts per priority in priority order, keyed by the priority's digits (JSON keys are strings).</summary>
    private static void WriteCountsByPriority(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (priority, count) in counts.OrderBy(c => c.Key))
            writer.WriteNumber(priority.ToString(CultureInfo.InvariantCulture), count);
        writer.WriteEndObject();
    }
}
