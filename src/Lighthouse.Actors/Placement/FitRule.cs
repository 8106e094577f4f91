namespace Lighthouse.Placement;

/// <summary>
/// The exact fit test of one workload on one node. Rules are checked in this order, and the first failure is
/// the node's reason in explanations:
/// 1. every required key exists on the node (immunity does not waive this) — first missing key by name;
/// 2. per required key, by name: <c>resource - requirement</c> is not NaN, and is <c>&gt;= 0</c> unless immune;
/// 3. every negative key of the node that the workload does not require is one it is immune to.
/// Rule 2 reports NaN before "too little" for the same key because NaN also fails <c>&gt;= 0</c>, and
/// "would compute NaN" is the truer reason.
/// </summary>
internal static class FitRule
{
    public static bool Fits(NodeState node, CompiledWorkload workload) => Check(node, workload, out _);

    public static bool Check(NodeState node, CompiledWorkload workload, out Rejection rejection)
    {
        var ids = workload.RequiredIds;
        var positions = workload.Positions;
        for (var index = 0; index < ids.Length; index++)
        {
            var position = node.Find(ids[index]);
            if (position < 0)
            {
                rejection = new Rejection(RejectionReason.MissingKey, workload.RequiredNames[index]);
                return false;
            }
            positions[index] = position;
        }

        var current = node.Current;
        var amounts = workload.Amounts;
        for (var index = 0; index < ids.Length; index++)
        {
            var left = current[positions[index]] - amounts[index];
            if (double.IsNaN(left))
            {
                rejection = new Rejection(RejectionReason.ArithmeticNaN, workload.RequiredNames[index]);
                return false;
            }
            if (left < 0 && !workload.Immune[index])
            {
                rejection = new Rejection(RejectionReason.Insufficient, workload.RequiredNames[index]);
                return false;
            }
        }

        foreach (var position in node.NegativePositions)
        {
            var key = node.Keys[position];
            if (workload.Requires(key) || workload.IsImmuneTo(key))
                continue;
            var reason = double.IsNegativeInfinity(current[position]) ? RejectionReason.Ward : RejectionReason.Shortcoming;
            rejection = new Rejection(reason, node.KeyNames[position]);
            return false;
        }

        rejection = default;
        return true;
    }
}
