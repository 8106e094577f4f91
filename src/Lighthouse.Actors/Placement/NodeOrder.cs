namespace Lighthouse.Placement;

/// <summary>
/// The nodes in the order a strategy tries them (node order, or bin-pack's (score, name)) as a list of
/// <see cref="NodeBlock"/>s that carry compact copies of what the fit rules read, kept exact as nodes change.
/// <see cref="NodePrefilter"/> searches and <see cref="ExplanationScan"/> explains on these copies and touch a node
/// only when it may fit, or when the copies cannot settle it.
/// Blocks rather than a segment tree of per-key maxima: a full cluster's leftovers are anti-correlated between
/// neighbours, so range maxima rarely prune and a tree walk visits most nodes (see docs/benchmarks.md).
/// </summary>
internal sealed class NodeOrder
{
    private readonly List<NodeBlock> _blocks = [];
    private readonly Comparison<NodeState> _compare;
    private readonly int _capacity;
    private readonly List<int> _staleTracks = [];

    public NodeOrder(Comparison<NodeState> compare, int blockCapacity, int maxTrackedKeys)
    {
        _compare = compare;
        _capacity = Math.Max(blockCapacity, 4);
        Keys = new TrackedKeys(maxTrackedKeys);
    }

    /// <summary>A position: block index and index inside the block; (block count, 0) is the end.</summary>
    public readonly record struct Cursor(int Block, int Item);

    public Cursor Start => new(0, 0);

    public Cursor End => new(_blocks.Count, 0);

    public List<NodeBlock> Blocks => _blocks;

    public TrackedKeys Keys { get; }

    /// <summary>Replaces the contents with <paramref name="nodes"/>, sorted, blocks half full.</summary>
    public void Build(IEnumerable<NodeState> nodes)
    {
        _blocks.Clear();
        var sorted = nodes.ToArray();
        Array.Sort(sorted, _compare);
        var fill = _capacity / 2;
        for (var start = 0; start < sorted.Length; start += fill)
        {
            var block = new NodeBlock(_capacity, Keys.Count) { Index = _blocks.Count };
            block.Count = Math.Min(fill, sorted.Length - start);
            for (var item = 0; item < block.Count; item++)
                block.Write(item, sorted[start + item], Keys);
            BlockSummary.Recompute(block, Keys);
            _blocks.Add(block);
        }
    }

    public void Insert(NodeState node)
    {
        if (_blocks.Count == 0)
            _blocks.Add(new NodeBlock(_capacity, Keys.Count));
        var index = BlockFor(node);
        if (_blocks[index].Count == _capacity)
        {
            Split(index);
            if (_compare(node, _blocks[index].Last) > 0)
                index++;
        }
        var block = _blocks[index];
        var at = FirstAfter(block, node);
        NodeBlock.Copy(block, at, block, at + 1, block.Count - at);
        block.Count++;
        block.Write(at, node, Keys);
        BlockSummary.Accumulate(block, at, Keys);
    }

    public void Remove(NodeState node)
    {
        var block = node.Block!;
        var at = block.IndexOf(node);
        BlockSummary.StaleTracks(block, node, Keys, _staleTracks);
        NodeBlock.Copy(block, at + 1, block, at, block.Count - at - 1);
        block.Count--;
        block.Items[block.Count] = null!;
        node.Block = null;
        if (block.Count == 0)
        {
            _blocks.RemoveAt(block.Index);
            Reindex(block.Index);
            return;
        }
        BlockSummary.RecomputePacked(block);
        foreach (var track in _staleTracks)
            BlockSummary.RecomputeTrack(block, Keys, track);
        MergeIfSparse(block.Index);
    }

    /// <summary>The node's quantities at <paramref name="positions"/> changed in place (its position in the order did not).</summary>
    public void Refresh(NodeState node, int[] positions)
    {
        var block = node.Block!;
        block.Write(block.IndexOf(node), node, Keys);
        BlockSummary.RecomputePacked(block);
        foreach (var position in positions)
        {
            var track = Keys.TrackOf(node.Keys[position]);
            if (track >= TrackedKeys.Lanes)
                BlockSummary.RecomputeTrack(block, Keys, track);
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

    /// <summary>The track of a key id, tracking it now (and copying it into every block) if there is room; -1 when it cannot be tracked.</summary>
    public int TrackFor(int key)
    {
        if (key < 0)
            return -1;
        var existing = Keys.TrackOf(key);
        if (existing >= 0 || !Keys.TryAdd(key, out var track))
            return existing;
        foreach (var block in _blocks)
        {
            if (block.Max.Length <= track)
            {
                var grown = block.Max;
                Array.Resize(ref grown, Math.Max(track + 1, grown.Length * 2));
                block.Max = grown;
            }
            if (track < TrackedKeys.Masked)
            {
                // The key gets bits (and maybe a packed lane): rewrite the nodes' copies, then the aggregates.
                for (var item = 0; item < block.Count; item++)
                    block.Write(item, block.Items[item], Keys);
                BlockSummary.Recompute(block, Keys);
                continue;
            }
            BlockSummary.RecomputeTrack(block, Keys, track);
        }
        return track;
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

    private void Split(int index)
    {
        var lower = _blocks[index];
        var upper = new NodeBlock(_capacity, Keys.Count);
        var half = lower.Count / 2;
        upper.Count = lower.Count - half;
        NodeBlock.Copy(lower, half, upper, 0, upper.Count);
        Array.Clear(lower.Items, half, upper.Count);
        lower.Count = half;
        for (var item = 0; item < upper.Count; item++)
            upper.Items[item].Block = upper;
        BlockSummary.Recompute(lower, Keys);
        BlockSummary.Recompute(upper, Keys);
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
        NodeBlock.Copy(source, 0, target, target.Count, source.Count);
        for (var item = 0; item < source.Count; item++)
            source.Items[item].Block = target;
        target.Count += source.Count;
        _blocks.RemoveAt(from);
        Reindex(from);
        BlockSummary.Recompute(target, Keys);
    }

    private void Reindex(int from)
    {
        for (var index = from; index < _blocks.Count; index++)
            _blocks[index].Index = index;
    }
}
