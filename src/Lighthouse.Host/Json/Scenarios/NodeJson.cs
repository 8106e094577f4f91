using System.Text.Json;
using Lighthouse.Placement;

namespace Lighthouse.Host.Json;

/// <summary>A node in JSON: <c>{"name": "n1", "resources": {"cpu": 4, "spiders": "-Infinity"}}</c>.</summary>
public static class NodeJson
{
    public const string NameField = "name";
    public const string ResourcesField = "resources";

    /// <summary>Reads one node; <paramref name="location"/> is where it sits in the input, e.g. <c>nodes[2]</c>.</summary>
    public static NodeSpec Read(JsonElement node, string location)
    {
        var fields = JsonFields.Of(node, location, "a node object {\"name\": …, \"resources\": {…}}");
        var name = JsonFields.Name(fields.Required(NameField, location), location, "\"name\"");
        var item = $"node \"{name}\" ({location})";
        fields.RejectUnknown(item, NameField, ResourcesField);
        // Absent resources mean none: such a node takes only workloads that require nothing.
        var resources = fields.Optional(ResourcesField) is { } map
            ? QuantityMapJson.Read(map, item, ResourcesField, "resource")
            : new OrderedDictionary<string, double>(StringComparer.Ordinal);
        return new NodeSpec(name, resources);
    }
}
