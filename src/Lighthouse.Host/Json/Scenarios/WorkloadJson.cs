using System.Text.Json;
using Lighthouse.Placement;

namespace Lighthouse.Host.Json;

/// <summary>
/// A workload in JSON: <c>{"name": "w1", "requirements": {"cpu": 1}, "immunities": ["spiders"], "aversion_groups": ["g"]}</c>.
/// Only the name is required; absent (or null) requirements are empty, absent sets are empty.
/// </summary>
public static class WorkloadJson
{
    public const string NameField = "name";
    public const string RequirementsField = "requirements";
    public const string ImmunitiesField = "immunities";
    public const string AversionGroupsField = "aversion_groups";

    /// <summary>Reads one workload; <paramref name="location"/> is where it sits in the input, e.g. <c>batches[0][3]</c>.</summary>
    public static Workload Read(JsonElement workload, string location)
    {
        var fields = JsonFields.Of(workload, location, "a workload object {\"name\": …, \"requirements\": {…}}");
        var name = JsonFields.Name(fields.Required(NameField, location), location, "\"name\"");
        var item = $"workload \"{name}\" ({location})";
        fields.RejectUnknown(item, NameField, RequirementsField, ImmunitiesField, AversionGroupsField);
        var requirements = fields.Optional(RequirementsField) is { } map
            ? QuantityMapJson.Read(map, item, RequirementsField, "requirement")
            : new OrderedDictionary<string, double>(StringComparer.Ordinal);
        return new Workload(
            name,
            requirements,
            ReadNames(fields.Optional(ImmunitiesField), item, ImmunitiesField),
            ReadNames(fields.Optional(AversionGroupsField), item, AversionGroupsField));
    }

    /// <summary>An array of names read as a set: a repeated name means the same thing once, so it is accepted.</summary>
    private static IReadOnlySet<string>? ReadNames(JsonElement? array, string location, string field)
    {
        if (array is not { } names)
            return null;
        if (names.ValueKind != JsonValueKind.Array)
            throw new JsonModelException(location, $"\"{field}\" must be an array of strings, found {JsonExcerpt.Of(names)}");
        var result = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in names.EnumerateArray())
            result.Add(JsonFields.Name(name, location, $"\"{field}\"[{index++}]"));
        return result;
    }
}
