using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>
/// The fields of one JSON object, checked the strict way: a repeated field or a field the model does not
/// know is an error, because silently dropping <c>"requirments"</c> would place a workload as if it needed nothing.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    private JsonFields() { }

    /// <summary>Reads <paramref name="element"/> as an object; <paramref name="expected"/> says what it should be (e.g. "a node object").</summary>
    public static JsonFields Of(JsonElement element, string location, string expected)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new JsonModelException(location, $"expected {expected}, found {JsonExcerpt.Of(element)}");
        var result = new JsonFields();
        foreach (var property in element.EnumerateObject())
        {
            if (!result.fields.TryAdd(property.Name, property.Value))
                throw new JsonModelException(location, $"field \"{property.Name}\" appears twice");
            result.order.Add(property.Name);
        }
        return result;
    }

    /// <summary>The names of the fields in input order.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>The field's value; null when absent or JSON null (an optional field may be written either way).</summary>
    public JsonElement? Optional(string name)
        => fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Required(string name, string location)
        => Optional(name) ?? throw new JsonModelException(location, $"missing field \"{name}\"");

    /// <summary>Fails on the first field not in <paramref name="known"/>, naming it and listing the known ones.</summary>
    public void RejectUnknown(string location, params string[] known)
    {
        foreach (var name in order)
        {
            if (Array.IndexOf(known, name) < 0)
                throw new JsonModelException(location,
                    $"unknown field \"{name}\"; the fields are {string.Join(", ", known.Select(k => $"\"{k}\""))}");
        }
    }

    /// <summary>Reads a non-empty string: names of nodes, workloads and keys.</summary>
    public static string Name(JsonElement value, string location, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new JsonModelException(location, $"{what} must be a string, found {JsonExcerpt.Of(value)}");
        var name = value.GetString()!;
        if (name.Length == 0)
            throw new JsonModelException(location, $"{what} is empty");
        return name;
    }
}
