namespace Lighthouse.Placement;

/// <summary>
/// Bin-pack's weights: <c>score(map) = Σ weight[k] × map[k]</c> over the keys present in both, summed in
/// ordinal order of the key names so the rounding is the same every time.
/// </summary>
internal sealed class Rubric
{
    private readonly string[] _names;
    private readonly int[] _ids;
    private readonly double[] _weights;

    public Rubric(IReadOnlyDictionary<string, double> weights, ResourceCatalog catalog)
    {
        _names = weights.Keys.Order(StringComparer.Ordinal).ToArray();
        _weights = _names.Select(name => weights[name]).ToArray();
        _ids = _names.Select(catalog.Intern).ToArray();
    }

    public double Score(NodeState node)
    {
        var score = 0.0;
        for (var index = 0; index < _ids.Length; index++)
        {
            var position = node.Find(_ids[index]);
            if (position >= 0)
                score += Term(_weights[index], node.Current[position]);
        }
        return score;
    }

    public double Score(IReadOnlyDictionary<string, double> requirements)
    {
        var score = 0.0;
        for (var index = 0; index < _names.Length; index++)
        {
            if (requirements.TryGetValue(_names[index], out var amount))
                score += Term(_weights[index], amount);
        }
        return score;
    }

    /// <summary>
    /// A zero on either side counts 0: IEEE says <c>0 × Infinity</c> is NaN, but a key with weight 0 (or a
    /// tag at 0) must not make the whole score undefined.
    /// </summary>
    private static double Term(double weight, double quantity) => weight == 0 || quantity == 0 ? 0 : weight * quantity;

    /// <summary>
    /// The order of scores. A score can still be NaN (+Infinity of one weighted key, -Infinity of another):
    /// NaN is ordered above +Infinity, so such nodes are tried last and such workloads of a batch go first.
    /// </summary>
    public static int Compare(double left, double right)
    {
        if (double.IsNaN(left))
            return double.IsNaN(right) ? 0 : 1;
        if (double.IsNaN(right))
            return -1;
        return left < right ? -1 : left > right ? 1 : 0;
    }

    /// <summary>
    /// Whether bin-pack skips a node for a workload: its score is strictly below the workload's. When either
    /// score is NaN the comparison says nothing, so the node is not skipped (and, being ordered last, a NaN
    /// node is never in the skipped prefix).
    /// </summary>
    public static bool IsBelow(double nodeScore, double workloadScore) => nodeScore < workloadScore;
}
