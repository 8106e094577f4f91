namespace Lighthouse.Placement;

/// <summary>
/// Reuses an explanation for a workload that asks exactly what an earlier one asked while nothing has changed
/// since: a batch whose tail does not fit (bin-pack sorts equal workloads next to each other) would otherwise
/// pay a walk over every node per workload. Only without a filter: a filter may judge workloads by name.
/// </summary>
internal sealed class ExplanationCache
{
    private readonly Dictionary<Signature, PlacementExplanation> _explanations = [];
    private long _version = -1;

    public bool TryGet(CompiledWorkload workload, long version, out PlacementExplanation explanation)
    {
        if (version != _version)
        {
            _explanations.Clear();
            _version = version;
        }
        return _explanations.TryGetValue(new Signature(workload), out explanation!);
    }

    public void Add(CompiledWorkload workload, PlacementExplanation explanation) => _explanations[new Signature(workload)] = explanation;

    /// <summary>
    /// What the fit rules and the bin-pack skip read from a workload: required keys and amounts, and the
    /// immunities to keys that exist (the score follows from the amounts).
    /// </summary>
    private readonly struct Signature(CompiledWorkload workload) : IEquatable<Signature>
    {
        private readonly CompiledWorkload _workload = workload;

        public bool Equals(Signature other)
        {
            var mine = _workload;
            var theirs = other._workload;
            return mine.RequiredNames.AsSpan().SequenceEqual(theirs.RequiredNames)
                   && mine.Amounts.AsSpan().SequenceEqual(theirs.Amounts)
                   && mine.ImmuneIds.SequenceEqual(theirs.ImmuneIds);
        }

        public override bool Equals(object? obj) => obj is Signature other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var name in _workload.RequiredNames)
                hash.Add(name);
            foreach (var amount in _workload.Amounts)
                hash.Add(amount);
            hash.Add(_workload.ImmuneIds.Count);
            return hash.ToHashCode();
        }
    }
}
