using Lighthouse.Placement;

namespace Lighthouse.Host.Json;

/// <summary>
/// What running a <see cref="Scenario"/> gave, every list in a stable order:
/// <see cref="Assignments"/> one list per batch, every workload of the batch in input order with its node (null when unplaced);
/// <see cref="FinalResources"/> every node in node order with its quantities after all batches, in declared key order;
/// <see cref="Unplaced"/> every workload no batch placed, in order of first refusal, with why.
/// </summary>
public sealed record ScenarioOutcome(
    IReadOnlyList<IReadOnlyList<KeyValuePair<string, string?>>> Assignments,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>> FinalResources,
    IReadOnlyList<KeyValuePair<string, PlacementExplanation>> Unplaced);
