using System.Runtime.Intrinsics;

namespace Lighthouse.Placement;

/// <summary>
/// The feasibility search over a <see cref="NodeOrder"/>: blocks in order from a start position. A block is skipped
/// whole when its maxima show that no node in it has enough of some required key, when all its nodes have more
/// negative keys than the workload can excuse, or when an easier query already found nothing in it since it last
/// changed. Inside a block each node passes a vectorised check of its packed quantities before the exact
/// <see cref="FitRule"/> (in <see cref="CandidateScan"/>). All three are necessary conditions only:
/// <c>resource - requirement &gt;= 0</c> implies <c>resource &gt;= requirement</c>.
/// </summary>
internal sealed class NodePrefilter(NodeOrder order)
{
    // The query in progress: tracked keys to prune on, their amounts, the packed amounts, the excuses.
    private int[] _pruneTracks = new int[TrackedKeys.Lanes];
    private double[] _pruneAmounts = new double[TrackedKeys.Lanes];
    private int _pruneCount;
    private int _excuses;
    private Vector256<double> _query;

    /// <summary>Sets up the query for one workload, tracking keys it is the first to require.</summary>
    public void Prepare(CompiledWorkload workload)
    {
        _pruneCount = 0;
        _excuses = workload.Excuses;
        Span<double> query = [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];
        for (var index = 0; index < workload.RequiredIds.Length; index++)
        {
            var track = order.TrackFor(workload.RequiredIds[index]);
            var amount = workload.Amounts[index];
            // An immune key may go negative, and every quantity is >= -Infinity: neither prunes anything.
            if (track < 0 || workload.Immune[index] || double.IsNegativeInfinity(amount))
                continue;
            if (_pruneCount == _pruneTracks.Length)
            {
                Array.Resize(ref _pruneTracks, _pruneCount * 2);
                Array.Resize(ref _pruneAmounts, _pruneCount * 2);
            }
            _pruneTracks[_pruneCount] = track;
            _pruneAmounts[_pruneCount] = amount;
            _pruneCount++;
            if (track < TrackedKeys.Lanes)
                query[track] = amount;
        }
        _query = Vector256.Create((ReadOnlySpan<double>)query);
    }

    /// <summary>
    /// Offers the nodes in [<paramref name="from"/>, <paramref name="to"/>) that pass the necessary conditions to
    /// <paramref name="scan"/>, in order, until it takes one. Returns true when it did.
    /// </summary>
    public bool Offer(NodeOrder.Cursor from, NodeOrder.Cursor to, CandidateScan scan)
    {
        var blocks = order.Blocks;
        for (var index = from.Block; index <= to.Block && index < blocks.Count; index++)
        {
            var block = blocks[index];
            var first = index == from.Block ? from.Item : 0;
            var stop = index == to.Block ? to.Item : block.Count;
            if (first >= stop || !MayFit(block) || block.Refuted.Cover(in _query, _excuses))
                continue;
            var negatives = block.Negatives;
            var packed = block.Packed;
            var passed = false;
            for (var item = first; item < stop; item++)
            {
                if (negatives[item] > _excuses)
                    continue;
                if (!Vector256.GreaterThanOrEqualAll(Vector256.Create(packed.AsSpan(item * TrackedKeys.Lanes, TrackedKeys.Lanes)), _query))
                    continue;
                passed = true;
                if (scan.Offer(block.Items[item]))
                    return true;
            }
            if (!passed && first == 0 && stop == block.Count)
                block.Refuted.Add(in _query, _excuses);
        }
        return false;
    }

    private bool MayFit(NodeBlock block)
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
}
