using System.Text.Json;
using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Web;

/// <summary>
/// Reads the body of <c>POST /api/tasks</c> into a <see cref="SubmitTask"/>. Strict: a wrong type, an unknown or
/// repeated field is an error naming it (a typo such as <c>"requirments"</c> would otherwise run the task as if it
/// needed nothing). Defaults follow <c>lighthouse submit</c>: user <c>anonymous</c>, payload <c>{}</c>.
/// </summary>
public static class SubmissionJson
{
    public const string DefaultUser = "anonymous";
    public const string DefaultPayload = "{}";

    private static readonly string[] Fields =
        ["name", "payload", "user", "priority", "requirements", "immunities", "aversion_groups", "submission_id", "max_attempts"];

    /// <summary>
    /// Throws <see cref="ApiException"/> (400) naming the field and value at fault. A body without <c>"user"</c> is
    /// <paramref name="defaultUser"/>'s (the token's user over HTTP with a user token).
    /// </summary>
    public static SubmitTask Read(JsonElement body, string defaultUser = DefaultUser)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"the request body must be a JSON object with at least \"name\", found {JsonExcerpt.Of(body)}");

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (Array.IndexOf(Fields, property.Name) < 0)
                throw ApiException.BadRequest(
                    $"unknown field \"{property.Name}\"; the fields are {string.Join(", ", Fields.Select(f => $"\"{f}\""))}");
            if (!fields.TryAdd(property.Name, property.Value))
                throw ApiException.BadRequest($"field \"{property.Name}\" appears twice");
        }

        if (Present(fields, "name") is not { } nameValue)
            throw ApiException.BadRequest("missing field \"name\": the task name says which handler runs it");
        var name = String(nameValue, "name");
        var location = $"task \"{name}\"";
        var payload = fields.TryGetValue("payload", out var payloadValue) ? payloadValue.GetRawText() : DefaultPayload;

        return new SubmitTask(
            name,
            payload,
            Present(fields, "user") is { } user ? String(user, "user") : defaultUser,
            Present(fields, "priority") is { } priority ? Integer(priority, "priority") : 0,
            Present(fields, "requirements") is { } requirements ? Requirements(requirements, location) : null,
            Present(fields, "immunities") is { } immunities ? StringSet(immunities, "immunities") : null,
            Present(fields, "aversion_groups") is { } groups ? StringSet(groups, "aversion_groups") : null,
            Present(fields, "max_attempts") is { } attempts ? Integer(attempts, "max_attempts") : null,
            Present(fields, "submission_id") is { } submission ? String(submission, "submission_id") : null);
    }

    /// <summary>The field's value; null when absent or JSON null, so optional fields may be written either way.</summary>
    private static JsonElement? Present(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string String(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"\"{field}\" must be a string, found {JsonExcerpt.Of(value)}");
        var text = value.GetString()!;
        if (text.Length == 0) throw ApiException.BadRequest($"\"{field}\" is empty");
        return text;
    }

    private static int Integer(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw ApiException.BadRequest($"\"{field}\" must be a whole number between {int.MinValue} and {int.MaxValue}, found {JsonExcerpt.Of(value)}");
        return number;
    }

    private static IReadOnlyDictionary<string, double> Requirements(JsonElement value, string location)
    {
        try
        {
            return QuantityMapJson.Read(value, location, "requirements", "requirement");
        }
        catch (JsonModelException e)
        {
            throw ApiException.BadRequest(e.Message, e);
        }
    }

    private static HashSet<string> StringSet(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"\"{field}\" must be an array of strings, found {JsonExcerpt.Of(value)}");
        var set = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            set.Add(String(item, $"{field}[{index}]"));
            index++;
        }
        return set;
    }
}
