using System.Text.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Json;

/// <summary>
/// The per-user weights and quotas as <c>lighthouse users --json</c> prints them and <c>GET /api/users</c> answers; one user's
/// as <c>PUT /api/users/NAME</c> and <c>lighthouse users set --json</c> answer. A quota of null is none.
/// </summary>
public static class UserPoliciesJson
{
    public static string Format(UserPoliciesView view) => JsonText.Document(writer => Write(writer, view));

    public static string Format(UserPolicyView user) => JsonText.Document(writer => WriteUser(writer, user));

    public static void Write(Utf8JsonWriter writer, UserPoliciesView view)
    {
        writer.WriteStartObject();
        writer.WriteNumber("default_weight", view.DefaultWeight);
        WriteQuota(writer, "default_max_running", view.DefaultMaxRunning);
        writer.WriteStartArray("users");
        foreach (var user in view.Users) WriteUser(writer, user);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteUser(Utf8JsonWriter writer, UserPolicyView user)
    {
        writer.WriteStartObject();
        writer.WriteString("user", user.UserId);
        writer.WriteNumber("weight", user.Weight);
        WriteQuota(writer, "max_running", user.MaxRunning);
        writer.WriteBoolean("set_at_runtime", user.SetAtRuntime);
        writer.WriteEndObject();
    }

    private static void WriteQuota(Utf8JsonWriter writer, string name, int? quota)
    {
        if (quota is { } value) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
