namespace Lighthouse.Placement;

/// <summary>
/// A run of consecutive nodes of a <see cref="NodeOrder"/> with what searches and explanations need to judge
/// them without touching the nodes themselves: per node its packed quantities of the first
/// <see cref="NodeOrder.Lanes"/> tracked keys, bit masks over the first 64 tracked keys (has the key; has a
/// non-negative quantity of it) and its negative-key count; for the whole block the maximum of every tracked
/// key, the minimum negative-key count, the keys all / some nodes have, and a few prefilter queries known to
/// find nothing here.
/// </summary>
internal sealed class NodeBlock
{
    public const int RefutedCapacity = 4;

    public NodeBlock(int capacity, int trackedKeys)
    {
        Items = new NodeState[capacity];
        Packed = new double[capacity * NodeOrder.Lanes];
        Present = new ulong[capacity];
        NonNegative = new ulong[capacity];
        Negatives = new int[capacity];
        Max = new double[Math.Max(trackedKeys, NodeOrder.Lanes)];
        Array.Fill(Max, double.NegativeInfinity);
    }

    /// <summary>Position of the block in its order (kept up to date when blocks split, merge or vanish).</summary>
    public int Index { get; set; }

    public int Count { get; set; }

    public NodeState[] Items { get; }

    /// <summary><see cref="NodeOrder.Lanes"/> doubles per node: its quantity of each packed key, -Infinity when it lacks it.</summary>
    public double[] Packed { get; }

    /// <summary>Per node, bit t set when it has tracked key t (t &lt; 64).</summary>
    public ulong[] Present { get; }

    /// <summary>Per node, bit t set when its quantity of tracked key t is &gt;= 0.</summary>
    public ulong[] NonNegative { get; }

    public int[] Negatives { get; }

    /// <summary>Per tracked key, the largest current quantity of any node here (-Infinity when none has it).</summary>
    public double[] Max { get; set; }

    public int MinNegatives { get; set; } = int.MaxValue;

    /// <summary>Tracked keys every node here has.</summary>
    public ulong PresentAll { get; set; } = ulong.MaxValue;

    /// <summary>Tracked keys at least one node here has.</summary>
    public ulong PresentAny { get; set; }

    /// <summary>
    /// Prefilter queries (packed amounts, and excuses) that no node here passed since the block last changed:
    /// a query at least as demanding cannot pass either, so the block is skipped without looking at its nodes.
    /// </summary>
    public double[] Refuted { get; } = new double[RefutedCapacity * NodeOrder.Lanes];

    public int[] RefutedExcuses { get; } = new int[RefutedCapacity];

    public int RefutedCount { get; set; }

    public NodeState Last => Items[Count - 1];

    public int IndexOf(NodeState node)
    {
        var index = Array.IndexOf(Items, node, 0, Count);
        return index >= 0 ? index : throw new InvalidOperationException($"node order lost node \"{node.Name}\"");
    }
}
