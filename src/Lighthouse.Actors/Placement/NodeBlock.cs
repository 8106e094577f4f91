namespace Lighthouse.Placement;

/// <summary>
/// A run of consecutive nodes of a <see cref="NodeOrder"/> with what a search needs to judge them without
/// touching the nodes: each node's packed quantities of the first tracked keys (<see cref="NodeOrder.Lanes"/>
/// doubles per node, -Infinity where the node lacks the key) and negative-key count, and for the whole block
/// the maximum of every tracked key and the minimum negative-key count.
/// </summary>
internal sealed class NodeBlock
{
    public NodeBlock(int capacity, int trackedKeys)
    {
        Items = new NodeState[capacity];
        Packed = new double[capacity * NodeOrder.Lanes];
        Negatives = new int[capacity];
        Max = new double[Math.Max(trackedKeys, NodeOrder.Lanes)];
        Array.Fill(Max, double.NegativeInfinity);
    }

    /// <summary>Position of the block in its order (kept up to date when blocks split, merge or vanish).</summary>
    public int Index { get; set; }

    public int Count { get; set; }

    public NodeState[] Items { get; }

    public double[] Packed { get; }

    public int[] Negatives { get; }

    /// <summary>Per tracked key, the largest current quantity of any node here (-Infinity when none has it).</summary>
    public double[] Max { get; set; }

    public int MinNegatives { get; set; } = int.MaxValue;

    public NodeState Last => Items[Count - 1];

    public int IndexOf(NodeState node)
    {
        var index = Array.IndexOf(Items, node, 0, Count);
        return index >= 0 ? index : throw new InvalidOperationException($"node order lost node \"{node.Name}\"");
    }
}
