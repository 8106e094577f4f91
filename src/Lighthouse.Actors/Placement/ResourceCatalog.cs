namespace Lighthouse.Placement;

/// <summary>
/// Interns resource names to dense indices so the hot path compares integers and indexes arrays instead of
/// hashing strings. Only names that appear on nodes or in the rubric are interned: a name that only a
/// workload mentions cannot exist on any node, so interning it would grow the catalog for nothing.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Intern(string name)
    {
        if (_ids.TryGetValue(name, out var id))
            return id;
        id = _ids.Count;
        _ids.Add(name, id);
        return id;
    }

    /// <summary>How many names are interned: those of every node ever added, and of the rubric.</summary>
    public int Count => _ids.Count;

    /// <summary>The index of a known name, or -1.</summary>
    public int Find(string name) => _ids.TryGetValue(name, out var id) ? id : -1;
}
