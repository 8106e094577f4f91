namespace Lighthouse.Placement;

/// <summary>
/// Segment trees over the node order that let a first-fit search skip whole ranges of nodes: per resource
/// key, the maximum current quantity in each range (a node without the key counts as -Infinity), and the
/// minimum number of negative keys. They give a necessary condition only — a range is skipped when no node
/// in it can fit — and every candidate they return is checked by <see cref="FitRule"/>.
/// Key trees are built lazily, for keys that some workload requires without immunity, and only up to
/// <see cref="PlacementTuning.MaxTrackedKeys"/> of them: the scheduler adds a tag per task name, and a tree
/// per tag over thousands of nodes would cost more memory than the pruning is worth.
/// </summary>
internal sealed class MaxTree
{
    private readonly NodeTable _nodes;
    private readonly int _maxTrackedKeys;
    private int _capacity;
    private int[] _minNegatives = [];
    private double[]?[] _maxByKey = [];
    private readonly List<int> _trackedKeys = [];

    // The search in progress: the trees and amounts to prune on, and how many negative keys are excused.
    private double[][] _pruneTrees = new double[4][];
    private double[] _pruneAmounts = new double[4];
    private int _pruneCount;
    private int _excuses;

    public MaxTree(NodeTable nodes, int maxTrackedKeys)
    {
        _nodes = nodes;
        _maxTrackedKeys = maxTrackedKeys;
        Rebuild();
    }

    /// <summary>Rebuilds every tree for the current slots (after construction, growth or compaction).</summary>
    public void Rebuild()
    {
        _capacity = 1;
        while (_capacity < _nodes.SlotCount)
            _capacity <<= 1;
        _minNegatives = new int[2 * _capacity];
        Array.Fill(_minNegatives, int.MaxValue);
        for (var slot = 0; slot < _nodes.SlotCount; slot++)
        {
            if (_nodes[slot] is { } node)
                _minNegatives[_capacity + slot] = node.NegativePositions.Count;
        }
        for (var index = _capacity - 1; index >= 1; index--)
            _minNegatives[index] = Math.Min(_minNegatives[2 * index], _minNegatives[2 * index + 1]);
        foreach (var key in _trackedKeys)
            _maxByKey[key] = BuildKeyTree(key);
    }

    /// <summary>Sets up the pruning for one workload, building trees for keys it is the first to require.</summary>
    public void Prepare(CompiledWorkload workload)
    {
        _pruneCount = 0;
        _excuses = workload.Excuses;
        for (var index = 0; index < workload.RequiredIds.Length; index++)
        {
            var amount = workload.Amounts[index];
            // An immune key may go negative, and every quantity is >= -Infinity: neither prunes anything.
            if (workload.Immune[index] || double.IsNegativeInfinity(amount))
                continue;
            var tree = TreeFor(workload.RequiredIds[index]);
            if (tree is null)
                continue;
            if (_pruneCount == _pruneTrees.Length)
            {
                Array.Resize(ref _pruneTrees, _pruneCount * 2);
                Array.Resize(ref _pruneAmounts, _pruneCount * 2);
            }
            _pruneTrees[_pruneCount] = tree;
            _pruneAmounts[_pruneCount] = amount;
            _pruneCount++;
        }
    }

    /// <summary>
    /// The first slot in [<paramref name="from"/>, <paramref name="to"/>) that may fit the prepared workload, or -1.
    /// <c>resource - requirement &gt;= 0</c> implies <c>resource &gt;= requirement</c>, so a range whose maximum is
    /// below the requirement holds no fitting node.
    /// </summary>
    public int FindFirst(int from, int to)
    {
        if (from >= to)
            return -1;
        return Find(1, 0, _capacity, from, to);
    }

    /// <summary>The node's quantities at <paramref name="positions"/> (and maybe its negative keys) changed.</summary>
    public void Refresh(NodeState node, int[] positions)
    {
        foreach (var position in positions)
        {
            var key = node.Keys[position];
            if (key < _maxByKey.Length && _maxByKey[key] is { } tree)
                SetLeaf(tree, node.Slot, node.Current[position]);
        }
        SetNegatives(node.Slot, node.NegativePositions.Count);
    }

    /// <summary>A node was added at the end of the order.</summary>
    public void Added(NodeState node)
    {
        if (node.Slot >= _capacity)
        {
            Rebuild();
            return;
        }
        foreach (var key in _trackedKeys)
        {
            var position = node.Find(key);
            SetLeaf(_maxByKey[key]!, node.Slot, position < 0 ? double.NegativeInfinity : node.Current[position]);
        }
        SetNegatives(node.Slot, node.NegativePositions.Count);
    }

    /// <summary>The node at <paramref name="slot"/> left: its slot can no longer be chosen.</summary>
    public void Removed(int slot)
    {
        foreach (var key in _trackedKeys)
            SetLeaf(_maxByKey[key]!, slot, double.NegativeInfinity);
        SetNegatives(slot, int.MaxValue);
    }

    private int Find(int index, int low, int high, int from, int to)
    {
        if (high <= from || low >= to || !MayFit(index))
            return -1;
        if (index >= _capacity)
            return low;
        var middle = (low + high) >> 1;
        var found = Find(2 * index, low, middle, from, to);
        return found >= 0 ? found : Find(2 * index + 1, middle, high, from, to);
    }

    private bool MayFit(int index)
    {
        if (_minNegatives[index] > _excuses)
            return false;
        for (var prune = 0; prune < _pruneCount; prune++)
        {
            if (!(_pruneTrees[prune][index] >= _pruneAmounts[prune]))
                return false;
        }
        return true;
    }

    private double[]? TreeFor(int key)
    {
        if (key < 0)
            return null;
        if (key < _maxByKey.Length && _maxByKey[key] is { } existing)
            return existing;
        if (_trackedKeys.Count >= _maxTrackedKeys)
            return null;
        if (key >= _maxByKey.Length)
            Array.Resize(ref _maxByKey, Math.Max(key + 1, _maxByKey.Length * 2));
        _trackedKeys.Add(key);
        return _maxByKey[key] = BuildKeyTree(key);
    }

    private double[] BuildKeyTree(int key)
    {
        var tree = new double[2 * _capacity];
        Array.Fill(tree, double.NegativeInfinity);
        for (var slot = 0; slot < _nodes.SlotCount; slot++)
        {
            if (_nodes[slot] is not { } node)
                continue;
            var position = node.Find(key);
            if (position >= 0)
                tree[_capacity + slot] = node.Current[position];
        }
        for (var index = _capacity - 1; index >= 1; index--)
            tree[index] = Math.Max(tree[2 * index], tree[2 * index + 1]);
        return tree;
    }

    private void SetLeaf(double[] tree, int slot, double value)
    {
        var index = _capacity + slot;
        tree[index] = value;
        for (index >>= 1; index >= 1; index >>= 1)
        {
            var max = Math.Max(tree[2 * index], tree[2 * index + 1]);
            if (tree[index] == max)
                break;
            tree[index] = max;
        }
    }

    private void SetNegatives(int slot, int count)
    {
        var index = _capacity + slot;
        if (_minNegatives[index] == count)
            return;
        _minNegatives[index] = count;
        for (index >>= 1; index >= 1; index >>= 1)
        {
            var min = Math.Min(_minNegatives[2 * index], _minNegatives[2 * index + 1]);
            if (_minNegatives[index] == min)
                break;
            _minNegatives[index] = min;
        }
    }
}
