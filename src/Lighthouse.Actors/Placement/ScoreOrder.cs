namespace Lighthouse.Placement;

/// <summary>
/// Bin-pack's node order: ascending (score, name), kept as a list of sorted blocks. A search starts at the
/// first node whose score is not below the workload's (binary search) and skips whole blocks with the same
/// necessary conditions as <see cref="MaxTree"/>: per tracked key the block's maximum quantity, and the
/// block's minimum count of negative keys. Re-scoring a node moves it between blocks in O(block size).
/// Blocks keep only a few numbers per tracked key, so tracking many keys costs little memory.
/// </summary>
internal sealed class ScoreOrder
{
    private sealed class Block(int capacity, int tracks)
    {
        public NodeState[] Items { get; } = new NodeState[capacity];
        public int Count { get; set; }
        public double[] Max { get; set; } = new double[Math.Max(tracks, 4)];
        public int MinNegatives { get; set; } = int.MaxValue;
        public NodeState Last => Items[Count - 1];
    }

    private readonly List<Block> _blocks = [];
    private readonly int _capacity;
    private readonly int _maxTrackedKeys;
    private int[] _trackOfKey = [];
    private readonly List<int> _trackedKeys = [];

    // The search in progress.
    private int[] _pruneTracks = new int[4];
    private double[] _pruneAmounts = new double[4];
    private int _pruneCount;
    private int _excuses;

    public ScoreOrder(int blockCapacity, int maxTrackedKeys)
    {
        _capacity = Math.Max(blockCapacity, 4);
        _maxTrackedKeys = maxTrackedKeys;
    }

    public static int Compare(NodeState left, NodeState right)
    {
        var byScore = Rubric.Compare(left.Score, right.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(left.Name, right.Name);
    }

    /// <summary>Replaces the contents with <paramref name="nodes"/> (scores already set), blocks half full.</summary>
    public void Build(IEnumerable<NodeState> nodes)
    {
        _blocks.Clear();
        var sorted = nodes.ToArray();
        Array.Sort(sorted, Compare);
        var fill = _capacity / 2;
        for (var start = 0; start < sorted.Length; start += fill)
        {
            var block = new Block(_capacity, _trackedKeys.Count);
            block.Count = Math.Min(fill, sorted.Length - start);
            Array.Copy(sorted, start, block.Items, 0, block.Count);
            Recompute(block);
            _blocks.Add(block);
        }
    }

    public void Insert(NodeState node)
    {
        if (_blocks.Count == 0)
        {
            var first = new Block(_capacity, _trackedKeys.Count);
            first.Items[0] = node;
            first.Count = 1;
            Recompute(first);
            _blocks.Add(first);
            return;
        }
        var index = BlockFor(node);
        if (_blocks[index].Count == _capacity)
        {
            Split(index);
            if (Compare(node, _blocks[index].Last) > 0)
                index++;
        }
        var block = _blocks[index];
        var at = FirstAbove(block, node);
        Array.Copy(block.Items, at, block.Items, at + 1, block.Count - at);
        block.Items[at] = node;
        block.Count++;
        Accumulate(block, node);
    }

    /// <summary>Removes a node; its score and quantities must be those it had when inserted.</summary>
    public void Remove(NodeState node)
    {
        var index = BlockFor(node);
        var block = _blocks[index];
        var at = FirstAbove(block, node) - 1;
        if (at < 0 || !ReferenceEquals(block.Items[at], node))
            throw new InvalidOperationException($"bin-pack order lost node \"{node.Name}\"");
        Array.Copy(block.Items, at + 1, block.Items, at, block.Count - at - 1);
        block.Count--;
        block.Items[block.Count] = null!;
        if (block.Count == 0)
        {
            _blocks.RemoveAt(index);
            return;
        }
        Deduct(block, node);
        MergeIfSparse(index);
    }

    /// <summary>Sets up the pruning for one workload, tracking keys it is the first to require.</summary>
    public void Prepare(CompiledWorkload workload)
    {
        _pruneCount = 0;
        _excuses = workload.Excuses;
        for (var index = 0; index < workload.RequiredIds.Length; index++)
        {
            var amount = workload.Amounts[index];
            if (workload.Immune[index] || double.IsNegativeInfinity(amount))
                continue;
            var track = TrackFor(workload.RequiredIds[index]);
            if (track < 0)
                continue;
            if (_pruneCount == _pruneTracks.Length)
            {
                Array.Resize(ref _pruneTracks, _pruneCount * 2);
                Array.Resize(ref _pruneAmounts, _pruneCount * 2);
            }
            _pruneTracks[_pruneCount] = track;
            _pruneAmounts[_pruneCount] = amount;
            _pruneCount++;
        }
    }

    /// <summary>
    /// Offers the nodes not scored below <paramref name="workloadScore"/> to <paramref name="scan"/>, in order,
    /// until it takes one. A NaN workload score skips nothing (see <see cref="Rubric.IsBelow"/>).
    /// </summary>
    public void Search(double workloadScore, CandidateScan scan)
    {
        var blockIndex = 0;
        var at = 0;
        if (!double.IsNaN(workloadScore))
        {
            blockIndex = FirstBlockNotBelow(workloadScore);
            if (blockIndex == _blocks.Count)
                return;
            at = FirstNotBelow(_blocks[blockIndex], workloadScore);
        }
        for (; blockIndex < _blocks.Count; blockIndex++, at = 0)
        {
            var block = _blocks[blockIndex];
            if (!MayFit(block))
                continue;
            for (; at < block.Count; at++)
            {
                if (scan.Offer(block.Items[at]))
                    return;
            }
        }
    }

    private bool MayFit(Block block)
    {
        if (block.MinNegatives > _excuses)
            return false;
        for (var prune = 0; prune < _pruneCount; prune++)
        {
            if (!(block.Max[_pruneTracks[prune]] >= _pruneAmounts[prune]))
                return false;
        }
        return true;
    }

    /// <summary>The first block whose last node is not before <paramref name="node"/>, else the last block.</summary>
    private int BlockFor(NodeState node)
    {
        int low = 0, high = _blocks.Count - 1;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (Compare(_blocks[middle].Last, node) >= 0)
                high = middle;
            else
                low = middle + 1;
        }
        return low;
    }

    /// <summary>The index of the first item ordered after <paramref name="node"/>.</summary>
    private static int FirstAbove(Block block, NodeState node)
    {
        int low = 0, high = block.Count;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (Compare(block.Items[middle], node) <= 0)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    private int FirstBlockNotBelow(double score)
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
        return low;
    }

    private static int FirstNotBelow(Block block, double score)
    {
        int low = 0, high = block.Count;
        while (low < high)
        {
            var middle = (low + high) >> 1;
            if (Rubric.Compare(block.Items[middle].Score, score) >= 0)
                high = middle;
            else
                low = middle + 1;
        }
        return low;
    }

    private void Split(int index)
    {
        var lower = _blocks[index];
        var upper = new Block(_capacity, _trackedKeys.Count);
        var half = lower.Count / 2;
        upper.Count = lower.Count - half;
        Array.Copy(lower.Items, half, upper.Items, 0, upper.Count);
        Array.Clear(lower.Items, half, upper.Count);
        lower.Count = half;
        Recompute(lower);
        Recompute(upper);
        _blocks.Insert(index + 1, upper);
    }

    /// <summary>Folds a sparse block into a neighbour so removals cannot leave a long tail of tiny blocks.</summary>
    private void MergeIfSparse(int index)
    {
        var block = _blocks[index];
        if (block.Count >= _capacity / 4)
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
        target.Count += source.Count;
        for (var track = 0; track < _trackedKeys.Count; track++)
            target.Max[track] = Math.Max(target.Max[track], source.Max[track]);
        target.MinNegatives = Math.Min(target.MinNegatives, source.MinNegatives);
        _blocks.RemoveAt(from);
    }

    private void Recompute(Block block)
    {
        Array.Fill(block.Max, double.NegativeInfinity);
        block.MinNegatives = int.MaxValue;
        for (var index = 0; index < block.Count; index++)
            Accumulate(block, block.Items[index]);
    }

    private void Accumulate(Block block, NodeState node)
    {
        block.MinNegatives = Math.Min(block.MinNegatives, node.NegativePositions.Count);
        // Walk whichever is shorter: the node's keys or the tracked keys.
        if (node.Keys.Length <= _trackedKeys.Count)
        {
            for (var position = 0; position < node.Keys.Length; position++)
            {
                var track = TrackOf(node.Keys[position]);
                if (track >= 0)
                    block.Max[track] = Math.Max(block.Max[track], node.Current[position]);
            }
            return;
        }
        for (var track = 0; track < _trackedKeys.Count; track++)
        {
            var position = node.Find(_trackedKeys[track]);
            if (position >= 0)
                block.Max[track] = Math.Max(block.Max[track], node.Current[position]);
        }
    }

    /// <summary>A node left the block: recompute only the aggregates it may have been holding up.</summary>
    private void Deduct(Block block, NodeState node)
    {
        if (node.NegativePositions.Count == block.MinNegatives)
        {
            block.MinNegatives = int.MaxValue;
            for (var index = 0; index < block.Count; index++)
                block.MinNegatives = Math.Min(block.MinNegatives, block.Items[index].NegativePositions.Count);
        }
        for (var track = 0; track < _trackedKeys.Count; track++)
        {
            var position = node.Find(_trackedKeys[track]);
            if (position >= 0 && node.Current[position] >= block.Max[track])
                block.Max[track] = TrackMax(block, _trackedKeys[track]);
        }
    }

    private static double TrackMax(Block block, int key)
    {
        var max = double.NegativeInfinity;
        for (var index = 0; index < block.Count; index++)
        {
            var node = block.Items[index];
            var position = node.Find(key);
            if (position >= 0)
                max = Math.Max(max, node.Current[position]);
        }
        return max;
    }

    private int TrackOf(int key) => key < _trackOfKey.Length ? _trackOfKey[key] : -1;

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
            block.Max[track] = TrackMax(block, key);
        }
        return track;
    }
}
