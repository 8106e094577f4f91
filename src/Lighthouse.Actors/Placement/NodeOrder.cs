namespace Lighthouse.Placement;

/// <summary>
/// The nodes in the order a strategy tries them (node order, or bin-pack's (score, name)) as a list of
/// <see cref="NodeBlock"/>s that carry compact copies of what the fit rules read — the quantities of the first
/// <see cref="Lanes"/> tracked keys, key-presence and sign bits, per-block maxima — kept exact as nodes change.
/// Searches (<c>NodeOrder.Search.cs</c>) and explanations (<c>NodeOrder.Explain.cs</c>) work on these copies
/// and touch a node only when it may fit, or when the copies cannot settle it.
///
/// Why blocks and not a segment tree of per-key maxima: once a cluster fills up, the leftovers of
/// neighbouring nodes are anti-correlated (one has spare cpu, the next spare memory), so per-key maxima of
/// a range rarely rule the range out, and a tree search degenerates into visiting most nodes at the cost of a
/// recursion step each (measured: about 6,000 tree visits per search on 10,000 nodes). Blocks skip what can
/// be skipped as cheaply and make the rest a tight vectorised scan.
///
/// Keys are tracked lazily — the ones some workload requires — and at most
/// <see cref="PlacementTuning.MaxTrackedKeys"/> of them, so the one-tag-per-task-name pattern of the
/// scheduler costs a few numbers per block per tag, not a column per tag.
/// </summary>
internal sealed partial class NodeOrder
{
    /// <summary>Tracked keys whose quantities are packed per node: one 256-bit vector of doubles.</summary>
    public const int Lanes = 4;

    /// <summary>Tracked keys that get presence and sign bits per node.</summary>
    private const int MaskedKeys = 64;

    private readonly List<NodeBlock> _blocks = [];
    private readonly Comparison<NodeState> _compare;
    private readonly int _capacity;
    private readonly int _maxTrackedKeys;
    private int[] _trackOfKey = [];
    private readonly List<int> _trackedKeys = [];
    private readonly List<int> _staleTracks = [];

    public NodeOrder(Comparison<NodeState> compare, int blockCapacity, int maxTrackedKeys)
    {
        _compare = compare;
        _capacity = Math.Max(blockCapacity, 4);
        _maxTrackedKeys = Math.Max(maxTrackedKeys, 0);
    }

    /// <summary>A position: block index and index inside the block; (block count, 0) is the end.</summary>
    public readonly record struct Cursor(int Block, int Item);

    public Cursor Start => new(0, 0);

    public Cursor End => new(_blocks.Count, 0);

    /// <summary>Replaces the contents with <paramref name="nodes"/>, sorted, blocks half full.</summary>
    public void Build(IEnumerable<NodeState> nodes)
    {
        _blocks.Clear();
        var sorted = nodes.ToArray();
        Array.Sort(sorted, _compare);
        var fill = _capacity / 2;
        for (var start = 0; start < sorted.Length; start += fill)
        {
            var block = new NodeBlock(_capacity, _trackedKeys.Count) { Index = _blocks.Count };
            block.Count = Math.Min(fill, sorted.Length - start);
            for (var item = 0; item < block.Count; item++)
                Place(block, item, sorted[start + item]);
            Recompute(block);
            _blocks.Add(block);
        }
    }

    public void Insert(NodeState node)
    {
        if (_blocks.Count == 0)
            _blocks.Add(new NodeBlock(_capacity, _trackedKeys.Count));
        var index = BlockFor(node);
        if (_blocks[index].Count == _capacity)
        {
            Split(index);
            if (_compare(node, _blocks[index].Last) > 0)
                index++;
        }
        var block = _blocks[index];
        var at = FirstAfter(block, node);
        Shift(block, at, at + 1, block.Count - at);
        block.Count++;
        Place(block, at, node);
        Accumulate(block, at);
    }

    public void Remove(NodeState node)
    {
        var block = node.Block!;
        var at = block.IndexOf(node);
        // Unpacked tracked keys whose block maximum this node may be holding up.
        var stale = StaleTracks(block, node);
        Shift(block, at + 1, at, block.Count - at - 1);
        block.Count--;
        block.Items[block.Count] = null!;
        node.Block = null;
        if (block.Count == 0)
        {
            _blocks.RemoveAt(block.Index);
            Reindex(block.Index);
            return;
        }
        RecomputePacked(block);
        foreach (var track in stale)
            RecomputeTrack(block, track);
        MergeIfSparse(block.Index);
    }

    /// <summary>The node's quantities at <paramref name="positions"/> changed in place (its position in the order did not).</summary>
    public void Refresh(NodeState node, int[] positions)
    {
        var block = node.Block!;
        Place(block, block.IndexOf(node), node);
        RecomputePacked(block);
        foreach (var position in positions)
        {
            var track = TrackOf(node.Keys[position]);
            if (track >= Lanes)
                RecomputeTrack(block, track);
        }
    }

    /// <summary>The node just before <paramref name="node"/> in the order, or null when it is first.</summary>
    public NodeState? Predecessor(NodeState node)
    {
        var block = node.Block!;
        var at = block.IndexOf(node);
        if (at > 0)
            return block.Items[at - 1];
        return block.Index > 0 ? _blocks[block.Index - 1].Last : null;
    }

    /// <summary>The position just after <paramref name="node"/> (possibly the end).</summary>
    public Cursor After(NodeState node)
    {
        var block = node.Block!;
        var at = block.IndexOf(node) + 1;
        return at < block.Count ? new Cursor(block.Index, at) : new Cursor(block.Index + 1, 0);
    }

    /// <summary>The position of the first node whose score is not below <paramref name="score"/> (see <see cref="Rubric.Compare"/>).</summary>
    public Cursor FirstNotBelow(double score)
    {
        int low = 0, high = _blocks.Count;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (Rubric.Compare(_blocks[middle].Last.Score, score) >= 0)
                high = middle;
            else
                low = middle + 1;
        }
        if (low == _blocks.Count)
            return End;
        var block = _blocks[low];
        int first = 0, last = block.Count;
        while (first < last)
        {
            var middle = (first + last) >> 1;
            if (Rubric.Compare(block.Items[middle].Score, score) >= 0)
                last = middle;
            else
                first = middle + 1;
        }
        return new Cursor(low, first);
    }

    /// <summary>The first block whose last node is not before <paramref name="node"/>, else the last block.</summary>
    private int BlockFor(NodeState node)
    {
        int low = 0, high = _blocks.Count - 1;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (_compare(_blocks[middle].Last, node) >= 0)
                high = middle;
            else
                low = middle + 1;
        }
        return low;
    }

    private int FirstAfter(NodeBlock block, NodeState node)
    {
        int low = 0, high = block.Count;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (_compare(block.Items[middle], node) <= 0)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    /// <summary>Writes a node into a block slot: reference, packed quantities, bits, negative count.</summary>
    private void Place(NodeBlock block, int item, NodeState node)
    {
        block.Items[item] = node;
        node.Block = block;
        block.Negatives[item] = node.NegativePositions.Count;
        var packed = block.Packed.AsSpan(item * Lanes, Lanes);
        packed.Fill(double.NegativeInfinity);
        ulong present = 0, nonNegative = 0;
        var masked = Math.Min(_trackedKeys.Count, MaskedKeys);
        // Walk whichever is shorter: the node's keys or the tracked keys.
        if (node.Keys.Length <= masked)
        {
            for (var position = 0; position < node.Keys.Length; position++)
            {
                var track = TrackOf(node.Keys[position]);
                if (track is >= 0 and < MaskedKeys)
                    Mark(track, node.Current[position], packed, ref present, ref nonNegative);
            }
        }
        else
        {
            for (var track = 0; track < masked; track++)
            {
                var position = node.Find(_trackedKeys[track]);
                if (position >= 0)
                    Mark(track, node.Current[position], packed, ref present, ref nonNegative);
            }
        }
        block.Present[item] = present;
        block.NonNegative[item] = nonNegative;
        block.RefutedCount = 0;
    }

    private static void Mark(int track, double quantity, Span<double> packed, ref ulong present, ref ulong nonNegative)
    {
        present |= 1UL << track;
        if (quantity >= 0)
            nonNegative |= 1UL << track;
        if (track < Lanes)
            packed[track] = quantity;
    }

    private static void Shift(NodeBlock block, int from, int to, int count)
    {
        Array.Copy(block.Items, from, block.Items, to, count);
        Array.Copy(block.Negatives, from, block.Negatives, to, count);
        Array.Copy(block.Present, from, block.Present, to, count);
        Array.Copy(block.NonNegative, from, block.NonNegative, to, count);
        Array.Copy(block.Packed, from * Lanes, block.Packed, to * Lanes, count * Lanes);
    }

    private void Split(int index)
    {
        var lower = _blocks[index];
        var upper = new NodeBlock(_capacity, _trackedKeys.Count);
        var half = lower.Count / 2;
        upper.Count = lower.Count - half;
        Array.Copy(lower.Items, half, upper.Items, 0, upper.Count);
        Array.Copy(lower.Negatives, half, upper.Negatives, 0, upper.Count);
        Array.Copy(lower.Present, half, upper.Present, 0, upper.Count);
        Array.Copy(lower.NonNegative, half, upper.NonNegative, 0, upper.Count);
        Array.Copy(lower.Packed, half * Lanes, upper.Packed, 0, upper.Count * Lanes);
        Array.Clear(lower.Items, half, upper.Count);
        lower.Count = half;
        for (var item = 0; item < upper.Count; item++)
            upper.Items[item].Block = upper;
        Recompute(lower);
        Recompute(upper);
        _blocks.Insert(index + 1, upper);
        Reindex(index + 1);
    }

    /// <summary>Folds a sparse block into a neighbour so removals cannot leave a long tail of tiny blocks.</summary>
    private void MergeIfSparse(int index)
    {
        var block = _blocks[index];
        if (block.Count > _capacity / 4)
            return;
        if (index + 1 < _blocks.Count && block.Count + _blocks[index + 1].Count <= _capacity / 2)
            Merge(index, index + 1);
        else if (index > 0 && block.Count + _blocks[index - 1].Count <= _capacity / 2)
            Merge(index - 1, index);
    }

    private void Merge(int into, int from)
    {
        var target = _blocks[into];
        var source = _blocks[from];
        Array.Copy(source.Items, 0, target.Items, target.Count, source.Count);
        Array.Copy(source.Negatives, 0, target.Negatives, target.Count, source.Count);
        Array.Copy(source.Present, 0, target.Present, target.Count, source.Count);
        Array.Copy(source.NonNegative, 0, target.NonNegative, target.Count, source.Count);
        Array.Copy(source.Packed, 0, target.Packed, target.Count * Lanes, source.Count * Lanes);
        for (var item = 0; item < source.Count; item++)
            source.Items[item].Block = target;
        target.Count += source.Count;
        _blocks.RemoveAt(from);
        Reindex(from);
        Recompute(target);
    }

    private void Reindex(int from)
    {
        for (var index = from; index < _blocks.Count; index++)
            _blocks[index].Index = index;
    }

    private void Recompute(NodeBlock block)
    {
        Array.Fill(block.Max, double.NegativeInfinity);
        block.MinNegatives = int.MaxValue;
        block.PresentAll = ulong.MaxValue;
        block.PresentAny = 0;
        block.RefutedCount = 0;
        for (var item = 0; item < block.Count; item++)
            Accumulate(block, item);
    }

    /// <summary>The aggregates read from the block's own arrays: cheap, O(block size × lanes).</summary>
    private static void RecomputePacked(NodeBlock block)
    {
        var packedLanes = Lanes;
        Array.Fill(block.Max, double.NegativeInfinity, 0, packedLanes);
        block.MinNegatives = int.MaxValue;
        block.PresentAll = ulong.MaxValue;
        block.PresentAny = 0;
        block.RefutedCount = 0;
        for (var item = 0; item < block.Count; item++)
        {
            block.MinNegatives = Math.Min(block.MinNegatives, block.Negatives[item]);
            block.PresentAll &= block.Present[item];
            block.PresentAny |= block.Present[item];
            for (var lane = 0; lane < packedLanes; lane++)
                block.Max[lane] = Math.Max(block.Max[lane], block.Packed[item * Lanes + lane]);
        }
    }

    private void RecomputeTrack(NodeBlock block, int track)
    {
        var key = _trackedKeys[track];
        var max = double.NegativeInfinity;
        for (var item = 0; item < block.Count; item++)
            max = Math.Max(max, ValueOf(block.Items[item], key));
        block.Max[track] = max;
    }

    /// <summary>Unpacked tracks whose block maximum equals this node's quantity (it may be the one holding it up).</summary>
    private List<int> StaleTracks(NodeBlock block, NodeState node)
    {
        var stale = _staleTracks;
        stale.Clear();
        if (_trackedKeys.Count <= Lanes)
            return stale;
        for (var position = 0; position < node.Keys.Length; position++)
        {
            var track = TrackOf(node.Keys[position]);
            if (track >= Lanes && node.Current[position] >= block.Max[track])
                stale.Add(track);
        }
        return stale;
    }

    private void Accumulate(NodeBlock block, int item)
    {
        block.MinNegatives = Math.Min(block.MinNegatives, block.Negatives[item]);
        block.PresentAll &= block.Present[item];
        block.PresentAny |= block.Present[item];
        var tracked = _trackedKeys.Count;
        var packedLanes = Math.Min(tracked, Lanes);
        for (var lane = 0; lane < packedLanes; lane++)
            block.Max[lane] = Math.Max(block.Max[lane], block.Packed[item * Lanes + lane]);
        if (tracked <= Lanes)
            return;
        var node = block.Items[item];
        if (node.Keys.Length <= tracked - Lanes)
        {
            for (var position = 0; position < node.Keys.Length; position++)
            {
                var track = TrackOf(node.Keys[position]);
                if (track >= Lanes)
                    block.Max[track] = Math.Max(block.Max[track], node.Current[position]);
            }
            return;
        }
        for (var track = Lanes; track < tracked; track++)
            block.Max[track] = Math.Max(block.Max[track], ValueOf(node, _trackedKeys[track]));
    }

    private static double ValueOf(NodeState node, int key)
    {
        var position = node.Find(key);
        return position < 0 ? double.NegativeInfinity : node.Current[position];
    }

    private int TrackOf(int key) => key >= 0 && key < _trackOfKey.Length ? _trackOfKey[key] : -1;

    /// <summary>The track of a key, tracking it now if there is room; -1 when it cannot be tracked.</summary>
    private int TrackFor(int key)
    {
        if (key < 0)
            return -1;
        var existing = TrackOf(key);
        if (existing >= 0 || _trackedKeys.Count >= _maxTrackedKeys)
            return existing;
        if (key >= _trackOfKey.Length)
        {
            var previous = _trackOfKey.Length;
            Array.Resize(ref _trackOfKey, Math.Max(key + 1, previous * 2));
            Array.Fill(_trackOfKey, -1, previous, _trackOfKey.Length - previous);
        }
        var track = _trackedKeys.Count;
        _trackedKeys.Add(key);
        _trackOfKey[key] = track;
        foreach (var block in _blocks)
        {
            if (block.Max.Length <= track)
            {
                var grown = block.Max;
                Array.Resize(ref grown, Math.Max(track + 1, grown.Length * 2));
                block.Max = grown;
            }
            if (track < MaskedKeys)
            {
                // The key gets bits (and maybe a packed lane): rewrite the nodes' copies, then the aggregates.
                for (var item = 0; item < block.Count; item++)
                    Place(block, item, block.Items[item]);
                Recompute(block);
                continue;
            }
            var max = double.NegativeInfinity;
            for (var item = 0; item < block.Count; item++)
                max = Math.Max(max, ValueOf(block.Items[item], key));
            block.Max[track] = max;
        }
        return track;
    }
}
