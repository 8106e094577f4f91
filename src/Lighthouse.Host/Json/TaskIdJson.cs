using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary><c>{"id": "task-7"}</c>: a submitted task, as <c>lighthouse submit --json</c> prints it and <c>POST /api/tasks</c> answers.</summary>
public static class TaskIdJson
{
    public static string Format(string id) => JsonText.Document(writer => Write(writer, id));

    public static void Write(Utf8JsonWriter writer, string id)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteEndObject();
    }
}
