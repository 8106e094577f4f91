namespace Lighthouse.Placement;

/// <summary>
/// The nodes in node order. A removed node leaves a dead slot so that positions (and the structures indexed
/// by them) stay valid; once dead slots outnumber live ones the table is compacted and the distributor
/// rebuilds its indexes.
/// </summary>
internal sealed class NodeTable
{
    private readonly List<NodeState?> _slots = [];
    private readonly Dictionary<string, NodeState> _byName = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _names;

    /// <summary>Slots in use, dead ones included.</summary>
    public int SlotCount => _slots.Count;

    public int LiveCount => _byName.Count;

    /// <summary>The node at a slot, or null for a dead slot.</summary>
    public NodeState? this[int slot] => _slots[slot];

    public bool TryGet(string name, out NodeState node) => _byName.TryGetValue(name, out node!);

    public NodeState Get(string name)
        => _byName.TryGetValue(name, out var node) ? node : throw new KeyNotFoundException($"no node named \"{name}\"");

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Live nodes in node order.</summary>
    public IEnumerable<NodeState> Live
    {
        get
        {
            foreach (var node in _slots)
            {
                if (node is not null)
                    yield return node;
            }
        }
    }

    public IReadOnlyList<string> Names => _names ??= Live.Select(node => node.Name).ToArray();

    public void Add(NodeState node)
    {
        node.Slot = _slots.Count;
        _slots.Add(node);
        _byName.Add(node.Name, node);
        _names = null;
    }

    public void Remove(NodeState node)
    {
        _slots[node.Slot] = null;
        _byName.Remove(node.Name);
        node.Slot = -1;
        _names = null;
    }

    /// <summary>How many live nodes sit at or before <paramref name="slot"/>.</summary>
    public int LiveUpTo(int slot)
    {
        var count = 0;
        for (var index = 0; index <= slot && index < _slots.Count; index++)
        {
            if (_slots[index] is not null)
                count++;
        }
        return count;
    }

    public bool NeedsCompaction(int minimumDead)
    {
        var dead = _slots.Count - _byName.Count;
        return dead >= minimumDead && dead > _byName.Count;
    }

    /// <summary>Drops dead slots, keeping node order; every live node gets a new slot.</summary>
    public void Compact()
    {
        var live = Live.ToList();
        _slots.Clear();
        foreach (var node in live)
        {
            node.Slot = _slots.Count;
            _slots.Add(node);
        }
    }
}
