namespace Lighthouse.Placement;

/// <summary>
/// The live nodes by name and in node order (the order they were declared or added). A removed node leaves
/// a hole in the list until holes outnumber nodes; then the list is compacted.
/// </summary>
internal sealed class NodeTable(int compactionMinimum)
{
    private readonly List<NodeState?> _order = [];
    private readonly Dictionary<string, NodeState> _byName = new(StringComparer.Ordinal);
    private long _nextSequence;
    private IReadOnlyList<string>? _names;

    public int LiveCount => _byName.Count;

    public bool TryGet(string name, out NodeState node) => _byName.TryGetValue(name, out node!);

    public NodeState Get(string name)
        => _byName.TryGetValue(name, out var node) ? node : throw new KeyNotFoundException($"no node named \"{name}\"");

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Live nodes in node order.</summary>
    public IEnumerable<NodeState> Live
    {
        get
        {
            foreach (var node in _order)
            {
                if (node is not null)
                    yield return node;
            }
        }
    }

    public IReadOnlyList<string> Names => _names ??= Live.Select(node => node.Name).ToArray();

    public void Add(NodeState node)
    {
        node.Sequence = _nextSequence++;
        node.TableIndex = _order.Count;
        _order.Add(node);
        _byName.Add(node.Name, node);
        _names = null;
    }

    public void Remove(NodeState node)
    {
        _order[node.TableIndex] = null;
        _byName.Remove(node.Name);
        node.TableIndex = -1;
        _names = null;
        var holes = _order.Count - _byName.Count;
        if (holes >= compactionMinimum && holes > _byName.Count)
            Compact();
    }

    private void Compact()
    {
        var live = Live.ToList();
        _order.Clear();
        foreach (var node in live)
        {
            node.TableIndex = _order.Count;
            _order.Add(node);
        }
    }
}
