using System.Runtime.Intrinsics;

namespace Lighthouse.Placement;

/// <summary>
/// The search: blocks in order from a start position. A block is skipped whole when its maxima show that no
/// node in it has enough of some required key, when all its nodes have more negative keys than the workload
/// can excuse, or when an easier query already found nothing in it since it last changed. Inside a block each
/// node passes a vectorised check of its packed quantities before the exact <see cref="FitRule"/>. All three
/// are necessary conditions only: <c>resource - requirement &gt;= 0</c> implies <c>resource &gt;= requirement</c>.
/// </summary>
internal sealed partial class NodeOrder
{
    // The search in progress: tracked keys to prune on, their amounts, the packed query, the excuses.
    private int[] _pruneTracks = new int[Lanes];
    private double[] _pruneAmounts = new double[Lanes];
    private int _pruneCount;
    private int _excuses;
    private Vector256<double> _query;

    /// <summary>Sets up the pruning for one workload, tracking keys it is the first to require.</summary>
    public void Prepare(CompiledWorkload workload)
    {
        _pruneCount = 0;
        _excuses = workload.Excuses;
        Span<double> query = [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];
        for (var index = 0; index < workload.RequiredIds.Length; index++)
        {
            var track = TrackFor(workload.RequiredIds[index]);
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
            if (track < Lanes)
                query[track] = amount;
        }
        _query = Vector256.Create((ReadOnlySpan<double>)query);
    }

    /// <summary>
    /// Offers the nodes in [<paramref name="from"/>, <paramref name="to"/>) that pass the necessary conditions to
    /// <paramref name="scan"/>, in order, until it takes one. Returns true when it did.
    /// </summary>
    public bool Offer(Cursor from, Cursor to, CandidateScan scan)
    {
        for (var index = from.Block; index <= to.Block && index < _blocks.Count; index++)
        {
            var block = _blocks[index];
            var first = index == from.Block ? from.Item : 0;
            var stop = index == to.Block ? to.Item : block.Count;
            if (first >= stop || !MayFit(block) || IsRefuted(block))
                continue;
            var negatives = block.Negatives;
            var packed = block.Packed;
            var passed = false;
            for (var item = first; item < stop; item++)
            {
                if (negatives[item] > _excuses)
                    continue;
                if (!Vector256.GreaterThanOrEqualAll(Vector256.Create(packed.AsSpan(item * Lanes, Lanes)), _query))
                    continue;
                passed = true;
                if (scan.Offer(block.Items[item]))
                    return true;
            }
            if (!passed && first == 0 && stop == block.Count)
                Refute(block);
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

    /// <summary>
    /// Whether a query no harder than this one already found no node of the block passing the prefilter:
    /// every packed amount at most as large, and at least as many negative keys excused.
    /// </summary>
    private bool IsRefuted(NodeBlock block)
    {
        for (var entry = 0; entry < block.RefutedCount; entry++)
        {
            if (_excuses <= block.RefutedExcuses[entry]
                && Vector256.GreaterThanOrEqualAll(_query, Vector256.Create(block.Refuted.AsSpan(entry * Lanes, Lanes))))
                return true;
        }
        return false;
    }

    /// <summary>Remembers that the current query found nothing here, dropping remembered queries harder than it.</summary>
    private void Refute(NodeBlock block)
    {
        var kept = 0;
        for (var entry = 0; entry < block.RefutedCount; entry++)
        {
            var remembered = Vector256.Create(block.Refuted.AsSpan(entry * Lanes, Lanes));
            if (block.RefutedExcuses[entry] <= _excuses && Vector256.GreaterThanOrEqualAll(remembered, _query))
                continue;
            if (kept != entry)
            {
                remembered.CopyTo(block.Refuted.AsSpan(kept * Lanes, Lanes));
                block.RefutedExcuses[kept] = block.RefutedExcuses[entry];
            }
            kept++;
        }
        if (kept == NodeBlock.RefutedCapacity)
        {
            // Full: forget the oldest.
            Array.Copy(block.Refuted, Lanes, block.Refuted, 0, (kept - 1) * Lanes);
            Array.Copy(block.RefutedExcuses, 1, block.RefutedExcuses, 0, kept - 1);
            kept--;
        }
        _query.CopyTo(block.Refuted.AsSpan(kept * Lanes, Lanes));
        block.RefutedExcuses[kept] = _excuses;
        block.RefutedCount = kept + 1;
    }
}
