namespace Lighthouse.Placement;

/// <summary>
/// One node's live state. Keys are interned ids in ascending order, quantities are parallel arrays; the keys with a negative quantity are listed apart because fit rule 3 must check them for every
/// workload and they are usually none.
/// </summary>
internal sealed class NodeState
{
    private readonly int[] _declaredOrder;
    private Dictionary<string, int>? _groupCounts;

    private NodeState(string name, int[] keys, string[] keyNames, double[] original, int[] declaredOrder)
    {
        Name = name;
        Keys = keys;
        KeyNames = keyNames;
        Original = original;
        Current = (double[])original.Clone();
        _declaredOrder = declaredOrder;
        RefreshNegatives();
    }

    public string Name { get; }

    /// <summary>Rank in the node order: nodes added later have larger ones. Set by <see cref="NodeTable"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>Index in <see cref="NodeTable"/>'s list; -1 once removed.</summary>
    public int TableIndex { get; set; } = -1;

    /// <summary>The block of the strategy's <see cref="NodeOrder"/> that holds the node.</summary>
    public NodeBlock? Block { get; set; }

    /// <summary>Interned key ids, ascending.</summary>
    public int[] Keys { get; }

    public string[] KeyNames { get; }

    public double[] Original { get; }

    /// <summary>Always <see cref="Original"/> minus the requirements of <see cref="Workloads"/>, subtracted in placement order.</summary>
    public double[] Current { get; }

    /// <summary>Positions whose current quantity is below zero, in ordinal order of the key name (explanations name the first).</summary>
    public List<int> NegativePositions { get; } = [];

    public List<PlacedWorkload> Workloads { get; } = [];

    /// <summary>The bin-pack score of <see cref="Current"/>; kept here so the score order can find the node again.</summary>
    public double Score { get; set; }

    /// <summary>Builds the state of a validated spec, interning its keys.</summary>
    public static NodeState Create(NodeSpec spec, ResourceCatalog catalog)
    {
        var count = spec.Resources.Count;
        var ids = new int[count];
        var names = new string[count];
        var quantities = new double[count];
        var declared = new int[count];
        var index = 0;
        foreach (var (key, quantity) in spec.Resources)
        {
            ids[index] = catalog.Intern(key);
            names[index] = key;
            quantities[index] = quantity;
            declared[index] = index;
            index++;
        }
        // Sort by id and remember where each declared key went, so Remaining can answer in declared order.
        Array.Sort(ids, declared);
        var sortedNames = new string[count];
        var sortedQuantities = new double[count];
        var declaredOrder = new int[count];
        for (var position = 0; position < count; position++)
        {
            sortedNames[position] = names[declared[position]];
            sortedQuantities[position] = quantities[declared[position]];
            declaredOrder[declared[position]] = position;
        }
        return new NodeState(spec.Name, ids, sortedNames, sortedQuantities, declaredOrder);
    }

    /// <summary>The position of a key id, or -1 when the node does not have it.</summary>
    public int Find(int keyId)
    {
        if (keyId < 0)
            return -1;
        // A vectorised scan beats binary search on the few keys most nodes have.
        if (Keys.Length <= 32)
            return Keys.AsSpan().IndexOf(keyId);
        var position = Array.BinarySearch(Keys, keyId);
        return position < 0 ? -1 : position;
    }

    /// <summary>True when a workload already here shares one of <paramref name="groups"/>.</summary>
    public bool ConflictsWith(string[] groups)
    {
        if (_groupCounts is null)
            return false;
        foreach (var group in groups)
        {
            if (_groupCounts.ContainsKey(group))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Records a fitting workload and subtracts its requirements. Adds to <paramref name="newGroups"/> the groups
    /// this node did not hold before (the distributor counts, per group, how many nodes hold it).
    /// </summary>
    public void Apply(PlacedWorkload workload, List<string> newGroups)
    {
        var crossedZero = false;
        for (var index = 0; index < workload.Positions.Length; index++)
        {
            var position = workload.Positions[index];
            var before = Current[position];
            var after = before - workload.Amounts[index];
            Current[position] = after;
            crossedZero |= (before < 0) != (after < 0);
        }
        if (crossedZero)
            RefreshNegatives();
        Workloads.Add(workload);
        foreach (var group in workload.Groups)
        {
            _groupCounts ??= new Dictionary<string, int>(StringComparer.Ordinal);
            _groupCounts.TryGetValue(group, out var held);
            _groupCounts[group] = held + 1;
            if (held == 0)
                newGroups.Add(group);
        }
    }

    /// <summary>
    /// Forgets a workload and recomputes every quantity from the originals, replaying the remaining workloads
    /// in placement order: the result is bit for bit what placing only those would have given. Adds to
    /// <paramref name="droppedGroups"/> the groups this node no longer holds.
    /// </summary>
    public void Remove(PlacedWorkload workload, List<string> droppedGroups)
    {
        Workloads.Remove(workload);
        Array.Copy(Original, Current, Original.Length);
        foreach (var remaining in Workloads)
        {
            for (var index = 0; index < remaining.Positions.Length; index++)
                Current[remaining.Positions[index]] -= remaining.Amounts[index];
        }
        RefreshNegatives();
        foreach (var group in workload.Groups)
        {
            var held = _groupCounts![group] - 1;
            if (held > 0)
            {
                _groupCounts[group] = held;
                continue;
            }
            _groupCounts.Remove(group);
            droppedGroups.Add(group);
        }
    }

    /// <summary>The groups held here (for bookkeeping when the node leaves).</summary>
    public IEnumerable<string> HeldGroups => _groupCounts?.Keys ?? Enumerable.Empty<string>();

    /// <summary>Every key and its current quantity, in the order the spec declared them.</summary>
    public IReadOnlyDictionary<string, double> Remaining()
    {
        var remaining = new Dictionary<string, double>(Keys.Length, StringComparer.Ordinal);
        foreach (var position in _declaredOrder)
            remaining.Add(KeyNames[position], Current[position]);
        return remaining;
    }

    private void RefreshNegatives()
    {
        NegativePositions.Clear();
        for (var position = 0; position < Current.Length; position++)
        {
            if (Current[position] < 0)
                NegativePositions.Add(position);
        }
        if (NegativePositions.Count > 1)
            NegativePositions.Sort((left, right) => string.CompareOrdinal(KeyNames[left], KeyNames[right]));
    }
}
