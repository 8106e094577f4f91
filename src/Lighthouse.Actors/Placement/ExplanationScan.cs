namespace Lighthouse.Placement;

/// <summary>
/// Explains a refusal over a <see cref="NodeOrder"/> from the blocks' copies: fit rules 1 and 2 are read from the
/// presence and sign bits and the packed quantities (exact copies of the nodes' current ones), and a whole block
/// is settled at once when none of its nodes has the first required key or all have too little of it. A node
/// goes to the caller's full examination only when it passes rules 1 and 2 (rule 3 and the filter remain) or
/// when the copies cannot decide (a key beyond the tracked ones, or a positive amount of an unpacked key).
/// </summary>
internal sealed class ExplanationScan(NodeOrder order)
{
    /// <summary>
    /// Counts into <paramref name="explanation"/> why each node from <paramref name="from"/> on refuses the
    /// workload, handing <paramref name="examine"/> the nodes the copies cannot settle.
    /// </summary>
    public void Explain(NodeOrder.Cursor from, CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine)
    {
        var tally = new RefusalTally(order, workload);
        var blocks = order.Blocks;
        for (var index = from.Block; index < blocks.Count; index++)
        {
            var block = blocks[index];
            var first = index == from.Block ? from.Item : 0;
            if (!tally.Decidable)
            {
                for (var item = first; item < block.Count; item++)
                    examine(block.Items[item]);
                continue;
            }
            if (first == 0 && tally.SettleBlock(block))
                continue;
            for (var item = first; item < block.Count; item++)
            {
                if (!tally.Refuses(block, item))
                    examine(block.Items[item]);
            }
        }
        tally.CountInto(explanation);
    }
}
