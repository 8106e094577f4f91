using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>
/// Name → quantity objects: a node's resources, a workload's requirements, a bin-pack rubric.
/// Keys keep their input order (an <see cref="OrderedDictionary{TKey,TValue}"/>), so what is echoed back
/// reads in the order the user wrote it.
/// </summary>
public static class QuantityMapJson
{
    /// <summary>
    /// Reads the object in field <paramref name="field"/> of the item at <paramref name="location"/>;
    /// <paramref name="keyNoun"/> names one entry in errors (e.g. "resource" gives <c>resource "cpu" is "abc", …</c>).
    /// </summary>
    public static OrderedDictionary<string, double> Read(JsonElement map, string location, string field, string keyNoun)
    {
        if (map.ValueKind != JsonValueKind.Object)
            throw new JsonModelException(location,
                $"\"{field}\" must be an object of {keyNoun} name → quantity, found {JsonExcerpt.Of(map)}");
        var result = new OrderedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Name.Length == 0)
                throw new JsonModelException(location, $"\"{field}\" has a {keyNoun} with an empty name");
            var quantity = QuantityJson.Read(entry.Value, location, $"{keyNoun} \"{entry.Name}\"");
            if (!result.TryAdd(entry.Name, quantity))
                throw new JsonModelException(location, $"{keyNoun} \"{entry.Name}\" appears twice in \"{field}\"");
        }
        return result;
    }

    /// <summary>Writes the entries as one JSON object, in the order given.</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, double>> quantities)
    {
        writer.WriteStartObject();
        foreach (var (key, quantity) in quantities)
        {
            writer.WritePropertyName(key);
            QuantityJson.Write(writer, quantity);
        }
        writer.WriteEndObject();
    }

    /// <summary>The field <paramref name="name"/>: the quantities in name order, as the views (nodes, their free resources) show them.</summary>
    public static void WriteByName(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> quantities)
    {
        writer.WritePropertyName(name);
        Write(writer, quantities.OrderBy(q => q.Key, StringComparer.Ordinal));
    }
}
