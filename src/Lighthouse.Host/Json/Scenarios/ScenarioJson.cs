using System.Text.Json;
using System.Text.RegularExpressions;
using Lighthouse.Placement;

namespace Lighthouse.Host.Json;

/// <summary>
/// Reads a <see cref="Scenario"/>:
/// <c>{"strategy": "bin-pack", "rubric": {"cpu": 1}, "nodes": [{…}], "batches": [[{…}]], "description": "…"}</c>.
/// Shape, types and quantities are checked here, with the JSON location in every message; the rules the engine owns
/// (unknown strategy, duplicate names, a rubric the strategy does not take) are left to it, so there is one
/// wording for each of them.
/// </summary>
public static partial class ScenarioJson
{
    public const string StrategyField = "strategy";
    public const string RubricField = "rubric";
    public const string NodesField = "nodes";
    public const string BatchesField = "batches";
    public const string DescriptionField = "description";

    private const string Root = "scenario";

    /// <summary>Parses scenario text; empty input and malformed JSON are <see cref="JsonModelException"/>s too.</summary>
    public static Scenario Parse(string json)
    {
        // A byte-order mark survives when text arrives through a pipe; it is not content.
        json = json.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(json))
            throw new JsonModelException("", "empty input; expected a scenario, a JSON object with \"strategy\", \"nodes\" and \"batches\"");
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException malformed)
        {
            throw new JsonModelException("", DescribeMalformed(malformed), malformed);
        }
    }

    public static Scenario Read(JsonElement scenario)
    {
        var fields = JsonFields.Of(scenario, Root, "a scenario object with \"strategy\", \"nodes\" and \"batches\"");
        fields.RejectUnknown(Root, StrategyField, RubricField, NodesField, BatchesField, DescriptionField);
        var strategyName = JsonFields.Name(fields.Required(StrategyField, Root), Root, $"\"{StrategyField}\"");
        var rubric = fields.Optional(RubricField) is { } map
            ? QuantityMapJson.Read(map, Root, RubricField, "weight")
            : null;
        var nodes = Elements(fields.Required(NodesField, Root), NodesField, "an array of nodes")
            .Select((node, index) => NodeJson.Read(node, $"{NodesField}[{index}]"))
            .ToList();
        var batches = Elements(fields.Required(BatchesField, Root), BatchesField, "an array of batches, each an array of workloads: [[{\"name\": \"w1\"}]]")
            .Select((batch, index) => ReadBatch(batch, $"{BatchesField}[{index}]"))
            .ToList();
        string? description = null;
        if (fields.Optional(DescriptionField) is { } text)
            description = text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : throw new JsonModelException(Root, $"\"{DescriptionField}\" must be a string, found {JsonExcerpt.Of(text)}");
        // The engine names its strategies; asked last, so every error of shape is reported in JSON terms first.
        return new Scenario(Distributor.ParseStrategy(strategyName), rubric, nodes, batches, description);
    }

    private static IReadOnlyList<Workload> ReadBatch(JsonElement batch, string location)
    {
        // The likely slip is a flat list of workloads, so the message shows the nesting.
        if (batch.ValueKind != JsonValueKind.Array)
            throw new JsonModelException(location,
                $"expected a batch (an array of workloads), found {JsonExcerpt.Of(batch)}; \"{BatchesField}\" nests them: [[{{\"name\": \"w1\"}}]]");
        return batch.EnumerateArray().Select((workload, index) => WorkloadJson.Read(workload, $"{location}[{index}]")).ToList();
    }

    private static JsonElement.ArrayEnumerator Elements(JsonElement array, string field, string expected)
        => array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : throw new JsonModelException(Root, $"\"{field}\" must be {expected}, found {JsonExcerpt.Of(array)}");

    /// <summary>System.Text.Json's reason with its 0-based position turned into the 1-based line and byte an editor shows.</summary>
    private static string DescribeMalformed(JsonException malformed)
    {
        var reason = PositionSuffix().Replace(malformed.Message, "").TrimEnd();
        return malformed.LineNumber is { } line && malformed.BytePositionInLine is { } position
            ? $"not valid JSON at line {line + 1}, byte {position + 1}: {reason}"
            : $"not valid JSON: {reason}";
    }

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.\s*$")]
    private static partial Regex PositionSuffix();
}
