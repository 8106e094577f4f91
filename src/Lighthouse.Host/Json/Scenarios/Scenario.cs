using Lighthouse.Placement;

namespace Lighthouse.Host.Json;

/// <summary>
/// A placement problem as <c>lighthouse place</c> reads it: a strategy (with its rubric for bin-pack), the nodes,
/// and batches of workloads applied in order to one distributor. <see cref="Description"/> is free text for the
/// reader of the file and plays no part in placement.
/// </summary>
public sealed record Scenario(
    StrategyKind Strategy,
    IReadOnlyDictionary<string, double>? Rubric,
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<IReadOnlyList<Workload>> Batches,
    string? Description = null)
{
    /// <summary>
    /// Applies every batch in order to one new distributor. Throws <see cref="PlacementException"/> when the engine
    /// refuses the input (the message of a refused batch starts with its location, e.g. <c>batches[1]: </c>).
    /// </summary>
    public ScenarioOutcome Run()
    {
        var distributor = Distributor.Create(Strategy, Nodes, Rubric);
        var assignments = new List<IReadOnlyList<KeyValuePair<string, string?>>>(Batches.Count);
        // In order of first refusal; a workload a later batch places leaves, one refused again keeps its
        // position and takes the newer reason (the one that describes the final state).
        var unplaced = new OrderedDictionary<string, PlacementExplanation>(StringComparer.Ordinal);
        for (var index = 0; index < Batches.Count; index++)
        {
            var batch = Batches[index];
            var result = Place(distributor, batch, index);
            var batchAssignments = new KeyValuePair<string, string?>[batch.Count];
            for (var position = 0; position < batch.Count; position++)
            {
                var workload = batch[position].Name;
                var node = result.Assignments[position];
                batchAssignments[position] = new(workload, node);
                if (node is null)
                    unplaced[workload] = result.Unplaced[workload];
                else
                    unplaced.Remove(workload);
            }
            assignments.Add(batchAssignments);
        }
        return new ScenarioOutcome(
            assignments,
            Nodes.Select(node => KeyValuePair.Create(node.Name, FinalQuantities(distributor, node))).ToList(),
            unplaced.ToList());
    }

    private static PlacementResult Place(Distributor distributor, IReadOnlyList<Workload> batch, int index)
    {
        try
        {
            return distributor.Place(batch);
        }
        catch (PlacementException refused)
        {
            throw new PlacementException($"batches[{index}]: {refused.Message}");
        }
    }

    /// <summary>The node's quantities in its declared key order (any key the engine added follows, in ordinal order).</summary>
    private static IReadOnlyList<KeyValuePair<string, double>> FinalQuantities(Distributor distributor, NodeSpec node)
    {
        var remaining = distributor.Remaining(node.Name);
        var declared = node.Resources.Keys.Select(key => KeyValuePair.Create(key, remaining[key]));
        var added = remaining.Where(entry => !node.Resources.ContainsKey(entry.Key)).OrderBy(entry => entry.Key, StringComparer.Ordinal);
        return declared.Concat(added).ToList();
    }
}
