using System.Text.Json;

namespace Lighthouse.Host.Json;

/// <summary>
/// Writes a <see cref="ScenarioOutcome"/>:
/// <c>{"assignments": [{"w1": "n1"}], "final_resources": {"n1": {"cpu": 3}}, "unplaced": {"w2": "0/1 nodes fit: …"}}</c>,
/// keys in the outcome's order so equal outcomes print byte for byte the same.
/// </summary>
public static class ScenarioOutcomeJson
{
    public const string AssignmentsField = "assignments";
    public const string FinalResourcesField = "final_resources";
    public const string UnplacedField = "unplaced";

    /// <summary>Indented, as every command line document (<see cref="JsonText"/>).</summary>
    public static string Format(ScenarioOutcome outcome) => JsonText.Document(writer => Write(writer, outcome));

    public static void Write(Utf8JsonWriter writer, ScenarioOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(AssignmentsField);
        foreach (var batch in outcome.Assignments)
        {
            writer.WriteStartObject();
            foreach (var (workload, node) in batch)
                writer.WriteString(workload, node);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject(FinalResourcesField);
        foreach (var (node, quantities) in outcome.FinalResources)
        {
            writer.WritePropertyName(node);
            QuantityMapJson.Write(writer, quantities);
        }
        writer.WriteEndObject();
        writer.WriteStartObject(UnplacedField);
        foreach (var (workload, explanation) in outcome.Unplaced)
            writer.WriteString(workload, explanation.ToString());
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
