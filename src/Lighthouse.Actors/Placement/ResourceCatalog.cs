namespace Lighthouse.Placement;

/// <summary>
/// Interns resource names to dense indices so the hot path compares integers and indexes arrays instead of
/// hashing strings. Only names that appear on nodes or in the rubric are interned: a name that only a
/// workload mentions cannot exist on any node, so interning it would grow the catalog for nothing.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Count => _names.Count;

    public int Intern(string name)
    {
        if (_ids.TryGetValue(name, out var id))
            return id;
        id = _names.Count;
        _ids.Add(name, id);
        _names.Add(name);
        return id;
    }

    /// <summary>The index of a known name, or -1.</summary>
    public int Find(string name) => _ids.TryGetValue(name, out var id) ? id : -1;

    public string Name(int id) => _names[id];
}
