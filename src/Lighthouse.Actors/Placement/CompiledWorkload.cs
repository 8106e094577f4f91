namespace Lighthouse.Placement;

/// <summary>
/// A validated workload translated to interned ids for the hot path. Required keys are kept in ordinal
/// order of their names, which is the order explanations use to pick the key a node failed on.
/// </summary>
internal sealed class CompiledWorkload
{
    private CompiledWorkload(Workload source, string[] requiredNames, int[] requiredIds, double[] amounts, bool[] immune,
        int[] requiredIdsAscending, int[] immuneIdsAscending, string[] groups)
    {
        Source = source;
        RequiredNames = requiredNames;
        RequiredIds = requiredIds;
        Amounts = amounts;
        Immune = immune;
        _requiredIdsAscending = requiredIdsAscending;
        _immuneIdsAscending = immuneIdsAscending;
        Groups = groups;
        Positions = new int[requiredIds.Length];
        RequiresUnknownKey = Array.IndexOf(requiredIds, -1) >= 0;
        var excuses = immuneIdsAscending.Length;
        for (var index = 0; index < requiredIds.Length; index++)
        {
            // Required keys are distinct; count a negative requirement unless its key is already counted as immune.
            if (requiredIds[index] >= 0 && amounts[index] < 0 && !immune[index])
                excuses++;
        }
        Excuses = excuses;
    }

    private readonly int[] _requiredIdsAscending;
    private readonly int[] _immuneIdsAscending;

    public Workload Source { get; }

    public string Name => Source.Name;

    /// <summary>Required key names in ordinal order.</summary>
    public string[] RequiredNames { get; }

    /// <summary>Interned id of each required key; -1 for a key no node has ever had.</summary>
    public int[] RequiredIds { get; }

    public double[] Amounts { get; }

    /// <summary>Whether the workload is immune to each required key (rule 2 does not apply to it).</summary>
    public bool[] Immune { get; }

    /// <summary>True when some required key exists on no node, so no node can fit.</summary>
    public bool RequiresUnknownKey { get; }

    /// <summary>
    /// How many negative node keys a fitting node can have at most: each must be one the workload is immune
    /// to or requires a negative amount of. Lets a search skip ranges of warded nodes.
    /// </summary>
    public int Excuses { get; }

    /// <summary>Distinct aversion groups, ordinal order.</summary>
    public string[] Groups { get; }

    /// <summary>Bin-pack score of the requirements (0 for other strategies).</summary>
    public double Score { get; set; }

    /// <summary>Scratch for the fit rule: the node position of each required key.</summary>
    public int[] Positions { get; }

    /// <summary>Interned ids of the keys the workload is immune to (those some node has), ascending.</summary>
    public IReadOnlyList<int> ImmuneIds => _immuneIdsAscending;

    public bool Requires(int keyId) => Array.BinarySearch(_requiredIdsAscending, keyId) >= 0;

    public bool IsImmuneTo(int keyId) => _immuneIdsAscending.Length > 0 && Array.BinarySearch(_immuneIdsAscending, keyId) >= 0;

    /// <summary>Compiles a workload that <see cref="InputValidation"/> accepted.</summary>
    public static CompiledWorkload Create(Workload workload, ResourceCatalog catalog)
    {
        var count = workload.Requirements.Count;
        var names = new string[count];
        var amounts = new double[count];
        var index = 0;
        foreach (var (key, amount) in workload.Requirements)
        {
            names[index] = key;
            amounts[index] = amount;
            index++;
        }
        Array.Sort(names, amounts, StringComparer.Ordinal);

        // Ordinal like every other name comparison here, whatever comparer the caller's set uses.
        var immunities = workload.Immunities is { Count: > 0 } declaredImmunities
            ? new HashSet<string>(declaredImmunities, StringComparer.Ordinal)
            : null;
        var ids = new int[count];
        var immune = new bool[count];
        var known = new List<int>(count);
        for (index = 0; index < count; index++)
        {
            ids[index] = catalog.Find(names[index]);
            immune[index] = immunities is not null && immunities.Contains(names[index]);
            if (ids[index] >= 0)
                known.Add(ids[index]);
        }
        known.Sort();

        var immuneIds = new List<int>();
        if (immunities is not null)
        {
            foreach (var key in immunities)
            {
                var id = catalog.Find(key);
                if (id >= 0)
                    immuneIds.Add(id);
            }
            immuneIds.Sort();
        }

        var groups = workload.AversionGroups is { Count: > 0 } declared
            ? declared.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : [];
        return new CompiledWorkload(workload, names, ids, amounts, immune, known.ToArray(), immuneIds.ToArray(), groups);
    }
}
