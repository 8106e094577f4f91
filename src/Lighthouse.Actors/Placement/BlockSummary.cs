namespace Lighthouse.Placement;

/// <summary>
/// Keeps a <see cref="NodeBlock"/>'s aggregates exact as its nodes change: the maximum of every tracked key, the
/// fewest negative keys, and the tracked keys all / some nodes have. Packed keys are read from the block's own
/// arrays (cheap); the others from the nodes, and only for the tracks a change may have lowered.
/// </summary>
internal static class BlockSummary
{
    /// <summary>Every aggregate from scratch.</summary>
    public static void Recompute(NodeBlock block, TrackedKeys keys)
    {
        Array.Fill(block.Max, double.NegativeInfinity);
        Reset(block);
        for (var item = 0; item < block.Count; item++)
            Accumulate(block, item, keys);
    }

    /// <summary>The aggregates read from the block's own arrays: O(block size × lanes).</summary>
    public static void RecomputePacked(NodeBlock block)
    {
        const int lanes = TrackedKeys.Lanes;
        Array.Fill(block.Max, double.NegativeInfinity, 0, lanes);
        Reset(block);
        for (var item = 0; item < block.Count; item++)
        {
            block.MinNegatives = Math.Min(block.MinNegatives, block.Negatives[item]);
            block.PresentAll &= block.Present[item];
            block.PresentAny |= block.Present[item];
            for (var lane = 0; lane < lanes; lane++)
                block.Max[lane] = Math.Max(block.Max[lane], block.Packed[item * lanes + lane]);
        }
    }

    /// <summary>The maximum of one tracked key, read from the nodes.</summary>
    public static void RecomputeTrack(NodeBlock block, TrackedKeys keys, int track)
    {
        var key = keys.KeyOf(track);
        var max = double.NegativeInfinity;
        for (var item = 0; item < block.Count; item++)
            max = Math.Max(max, ValueOf(block.Items[item], key));
        block.Max[track] = max;
    }

    /// <summary>Folds the node in slot <paramref name="item"/> into the aggregates.</summary>
    public static void Accumulate(NodeBlock block, int item, TrackedKeys keys)
    {
        block.MinNegatives = Math.Min(block.MinNegatives, block.Negatives[item]);
        block.PresentAll &= block.Present[item];
        block.PresentAny |= block.Present[item];
        var tracked = keys.Count;
        var packedLanes = Math.Min(tracked, TrackedKeys.Lanes);
        for (var lane = 0; lane < packedLanes; lane++)
            block.Max[lane] = Math.Max(block.Max[lane], block.Packed[item * TrackedKeys.Lanes + lane]);
        if (tracked <= TrackedKeys.Lanes)
            return;
        var node = block.Items[item];
        if (node.Keys.Length <= tracked - TrackedKeys.Lanes)
        {
            for (var position = 0; position < node.Keys.Length; position++)
            {
                var track = keys.TrackOf(node.Keys[position]);
                if (track >= TrackedKeys.Lanes)
                    block.Max[track] = Math.Max(block.Max[track], node.Current[position]);
            }
            return;
        }
        for (var track = TrackedKeys.Lanes; track < tracked; track++)
            block.Max[track] = Math.Max(block.Max[track], ValueOf(node, keys.KeyOf(track)));
    }

    /// <summary>
    /// Fills <paramref name="stale"/> with the unpacked tracks whose block maximum equals the node's quantity: the
    /// node may be the one holding it up, so they need <see cref="RecomputeTrack"/> once it leaves.
    /// </summary>
    public static void StaleTracks(NodeBlock block, NodeState node, TrackedKeys keys, List<int> stale)
    {
        stale.Clear();
        if (keys.Count <= TrackedKeys.Lanes)
            return;
        for (var position = 0; position < node.Keys.Length; position++)
        {
            var track = keys.TrackOf(node.Keys[position]);
            if (track >= TrackedKeys.Lanes && node.Current[position] >= block.Max[track])
                stale.Add(track);
        }
    }

    private static void Reset(NodeBlock block)
    {
        block.MinNegatives = int.MaxValue;
        block.PresentAll = ulong.MaxValue;
        block.PresentAny = 0;
        block.Refuted.Clear();
    }

    private static double ValueOf(NodeState node, int key)
    {
        var position = node.Find(key);
        return position < 0 ? double.NegativeInfinity : node.Current[position];
    }
}
