namespace Lighthouse.Placement;

/// <summary>
/// Checks input before anything changes, so a refused call leaves the distributor as it was. Every message
/// names the item at fault (its name, or its position when it has none) and the key or value.
/// </summary>
internal static class InputValidation
{
    public static void CheckRubric(StrategyKind strategy, IReadOnlyDictionary<string, double>? rubric)
    {
        if (strategy == StrategyKind.BinPack)
        {
            if (rubric is null)
                throw new PlacementException("strategy bin-pack needs a rubric (resource name → weight)");
            foreach (var (key, weight) in rubric)
            {
                if (key is null)
                    throw new PlacementException("rubric: a resource name is null");
                if (double.IsNaN(weight))
                    throw new PlacementException($"rubric: weight of \"{key}\" is NaN");
            }
        }
        else if (rubric is not null)
        {
            throw new PlacementException($"strategy {Distributor.StrategyName(strategy)} takes no rubric (only bin-pack does)");
        }
    }

    /// <summary>Checks one node spec; <paramref name="position"/> names it when it has no name.</summary>
    public static void CheckNode(NodeSpec? node, int position)
    {
        if (node is null)
            throw new PlacementException($"node #{position} is null");
        if (string.IsNullOrEmpty(node.Name))
            throw new PlacementException($"node #{position} has no name");
        if (node.Resources is null)
            throw new PlacementException($"node \"{node.Name}\" has no resources map");
        foreach (var (key, quantity) in node.Resources)
        {
            if (key is null)
                throw new PlacementException($"node \"{node.Name}\": a resource name is null");
            if (double.IsNaN(quantity))
                throw new PlacementException($"node \"{node.Name}\": quantity of \"{key}\" is NaN");
        }
    }

    public static PlacementException DuplicateNode(string name) => new($"duplicate node name \"{name}\"");

    /// <summary>
    /// Checks a batch: every item named and well formed, no name twice, none already placed
    /// (<paramref name="placedOn"/> answers where a name is placed, or null).
    /// </summary>
    public static void CheckBatch(IReadOnlyList<Workload?> batch, Func<string, string?> placedOn)
    {
        // A batch of one, the scheduler's pattern, needs no set.
        var seen = batch.Count > 1 ? new Dictionary<string, int>(batch.Count, StringComparer.Ordinal) : null;
        for (var index = 0; index < batch.Count; index++)
        {
            var workload = batch[index];
            CheckWorkload(workload, index);
            if (seen is not null && !seen.TryAdd(workload!.Name, index))
                throw new PlacementException($"workload \"{workload.Name}\" appears twice in the batch (items {seen[workload.Name]} and {index})");
            if (placedOn(workload!.Name) is { } node)
                throw new PlacementException($"workload \"{workload.Name}\" is already placed on node \"{node}\"");
        }
    }

    private static void CheckWorkload(Workload? workload, int index)
    {
        if (workload is null)
            throw new PlacementException($"batch item {index} is null");
        if (string.IsNullOrEmpty(workload.Name))
            throw new PlacementException($"batch item {index} has no name");
        if (workload.Requirements is null)
            throw new PlacementException($"workload \"{workload.Name}\" has no requirements map");
        foreach (var (key, amount) in workload.Requirements)
        {
            if (key is null)
                throw new PlacementException($"workload \"{workload.Name}\": a requirement name is null");
            if (double.IsNaN(amount))
                throw new PlacementException($"workload \"{workload.Name}\": requirement \"{key}\" is NaN");
        }
        if (HasNull(workload.Immunities))
            throw new PlacementException($"workload \"{workload.Name}\": an immunity is null");
        if (HasNull(workload.AversionGroups))
            throw new PlacementException($"workload \"{workload.Name}\": an aversion group is null");
    }

    // Enumerated rather than Contains(null): some set types throw on a null probe.
    private static bool HasNull(IReadOnlySet<string>? names) => names is not null && names.Any(name => name is null);
}
