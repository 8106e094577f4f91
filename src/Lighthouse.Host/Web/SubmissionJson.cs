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
        ["name", "payload", "user", "priority", "requirements", "immunities", "aversion_groups", "submission_id", "max_attempts",
         "retry", "timeout_ms", "delay_ms", "not_before", "after", "concurrency_key"];

    private static readonly string[] RetryFields = ["attempts", "backoff_ms", "max_backoff_ms"];

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
            Present(fields, "submission_id") is { } submission ? String(submission, "submission_id") : null)
        {
            Retry = Present(fields, "retry") is { } retry ? Retry(retry) : null,
            Timeout = Present(fields, "timeout_ms") is { } timeout ? Milliseconds(timeout, "timeout_ms") : null,
            Delay = Present(fields, "delay_ms") is { } delay ? Milliseconds(delay, "delay_ms") : null,
            NotBefore = Present(fields, "not_before") is { } notBefore ? Instant(notBefore, "not_before") : null,
            After = Present(fields, "after") is { } after ? StringList(after, "after") : null,
            ConcurrencyKey = Present(fields, "concurrency_key") is { } key ? String(key, "concurrency_key") : null,
        };
    }

    /// <summary><c>{"attempts": N, "backoff_ms": B, "max_backoff_ms": M}</c>: attempts required, the rest optional (back-off 0).</summary>
    private static RetryPolicy Retry(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"\"retry\" must be an object such as {{\"attempts\": 3, \"backoff_ms\": 1000}}, found {JsonExcerpt.Of(value)}");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (Array.IndexOf(RetryFields, property.Name) < 0)
                throw ApiException.BadRequest(
                    $"unknown field \"retry.{property.Name}\"; the fields are {string.Join(", ", RetryFields.Select(f => $"\"{f}\""))}");
            if (!fields.TryAdd(property.Name, property.Value))
                throw ApiException.BadRequest($"field \"retry.{property.Name}\" appears twice");
        }
        if (Present(fields, "attempts") is not { } attempts)
            throw ApiException.BadRequest("missing field \"retry.attempts\": how many times a failed task is started again");
        return new RetryPolicy(
            Integer(attempts, "retry.attempts"),
            Present(fields, "backoff_ms") is { } backoff ? Milliseconds(backoff, "retry.backoff_ms") : TimeSpan.Zero,
            Present(fields, "max_backoff_ms") is { } max ? Milliseconds(max, "retry.max_backoff_ms") : null);
    }

    /// <summary>
    /// A duration in milliseconds: a finite number, zero or more (the scheduler checks it against its limits). JSON has no NaN,
    /// but a string "NaN" or a number too large for a duration is named here.
    /// </summary>
    private static TimeSpan Milliseconds(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var ms) || !double.IsFinite(ms))
            throw ApiException.BadRequest($"\"{field}\" must be a number of milliseconds, found {JsonExcerpt.Of(value)}");
        if (ms < 0) throw ApiException.BadRequest($"\"{field}\" is {JsonExcerpt.Of(value)}: a duration cannot be negative");
        if (ms > TimeSpan.MaxValue.TotalMilliseconds / 2)
            throw ApiException.BadRequest($"\"{field}\" is {JsonExcerpt.Of(value)}: far too long for a duration");
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>An ISO-8601 instant with an offset or Z, e.g. <c>2025-01-31T10:42:03Z</c>.</summary>
    private static DateTimeOffset Instant(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String || !TryParseInstant(value.GetString()!, out var instant))
            throw ApiException.BadRequest($"\"{field}\" must be an ISO-8601 time with its offset, e.g. \"2025-01-31T10:42:03Z\", found {JsonExcerpt.Of(value)}");
        return instant;
    }

    /// <summary>Parses an ISO-8601 instant that names its offset (Z or ±hh:mm); a local time without one is refused as ambiguous.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        var trimmed = text.Trim();
        if (trimmed.Length < 11 || !(trimmed.EndsWith('Z') || trimmed.EndsWith('z') || trimmed[^6] is '+' or '-')) return false;
        if (!DateTimeOffset.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed)) return false;
        instant = parsed.ToUniversalTime();
        return true;
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

    /// <summary>An array of strings in its order (the scheduler checks the count against its limit before anything else).</summary>
    private static List<string> StringList(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"\"{field}\" must be an array of strings, found {JsonExcerpt.Of(value)}");
        var list = new List<string>();
        foreach (var item in value.EnumerateArray()) list.Add(String(item, $"{field}[{list.Count}]"));
        return list;
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
