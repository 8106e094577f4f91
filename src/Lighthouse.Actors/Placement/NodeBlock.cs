namespace Lighthouse.Placement;

/// <summary>
/// A run of consecutive nodes of a <see cref="NodeOrder"/> with what searches and explanations need to judge
/// them without touching the nodes themselves: per node its packed quantities of the first
/// <see cref="TrackedKeys.Lanes"/> tracked keys, bit masks over the first <see cref="TrackedKeys.Masked"/> tracked
/// keys (has the key; has a non-negative quantity of it) and its negative-key count; for the whole block the
/// aggregates of <see cref="BlockSummary"/> and the prefilter queries known to find nothing here.
/// </summary>
internal sealed class NodeBlock
{
    public NodeBlock(int capacity, int trackedKeys)
    {
        Items = new NodeState[capacity];
        Packed = new double[capacity * TrackedKeys.Lanes];
        Present = new ulong[capacity];
        NonNegative = new ulong[capacity];
        Negatives = new int[capacity];
        Max = new double[Math.Max(trackedKeys, TrackedKeys.Lanes)];
        Array.Fill(Max, double.NegativeInfinity);
    }

    /// <summary>Position of the block in its order (kept up to date when blocks split, merge or vanish).</summary>
    public int Index { get; set; }

    public int Count { get; set; }

    public NodeState[] Items { get; }

    /// <summary><see cref="TrackedKeys.Lanes"/> doubles per node: its quantity of each packed key, -Infinity when it lacks it.</summary>
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

    public RefutedQueries Refuted { get; } = new();

    public NodeState Last => Items[Count - 1];

    public int IndexOf(NodeState node)
    {
        var index = Array.IndexOf(Items, node, 0, Count);
        return index >= 0 ? index : throw new InvalidOperationException($"node order lost node \"{node.Name}\"");
    }

    /// <summary>Writes a node into slot <paramref name="item"/>: reference, packed quantities, bits, negative count.</summary>
    public void Write(int item, NodeState node, TrackedKeys keys)
    {
        Items[item] = node;
        node.Block = this;
        Negatives[item] = node.NegativePositions.Count;
        var packed = Packed.AsSpan(item * TrackedKeys.Lanes, TrackedKeys.Lanes);
        packed.Fill(double.NegativeInfinity);
        ulong present = 0, nonNegative = 0;
        var masked = Math.Min(keys.Count, TrackedKeys.Masked);
        // Walk whichever is shorter: the node's keys or the tracked keys.
        if (node.Keys.Length <= masked)
        {
            for (var position = 0; position < node.Keys.Length; position++)
            {
                var track = keys.TrackOf(node.Keys[position]);
                if (track is >= 0 and < TrackedKeys.Masked)
                    Mark(track, node.Current[position], packed, ref present, ref nonNegative);
            }
        }
        else
        {
            for (var track = 0; track < masked; track++)
            {
                var position = node.Find(keys.KeyOf(track));
                if (position >= 0)
                    Mark(track, node.Current[position], packed, ref present, ref nonNegative);
            }
        }
        Present[item] = present;
        NonNegative[item] = nonNegative;
        Refuted.Clear();
    }

    /// <summary>Copies the per-node arrays of <paramref name="count"/> slots (overlapping ranges of one block included).</summary>
    public static void Copy(NodeBlock source, int from, NodeBlock target, int to, int count)
    {
        Array.Copy(source.Items, from, target.Items, to, count);
        Array.Copy(source.Negatives, from, target.Negatives, to, count);
        Array.Copy(source.Present, from, target.Present, to, count);
        Array.Copy(source.NonNegative, from, target.NonNegative, to, count);
        Array.Copy(source.Packed, from * TrackedKeys.Lanes, target.Packed, to * TrackedKeys.Lanes, count * TrackedKeys.Lanes);
    }

    private static void Mark(int track, double quantity, Span<double> packed, ref ulong present, ref ulong nonNegative)
    {
        present |= 1UL << track;
        if (quantity >= 0)
            nonNegative |= 1UL << track;
        if (track < TrackedKeys.Lanes)
            packed[track] = quantity;
    }
}
