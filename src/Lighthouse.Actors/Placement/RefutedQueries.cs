using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lighthouse.Placement;

/// <summary>
/// A block's memo of prefilter queries (packed amounts and excused negative keys) that no node of it passed since
/// it last changed: a query at least as demanding cannot pass either, so the block is skipped without looking
/// at its nodes. Holds the few most recent, dropping those a newer, easier query makes redundant.
/// </summary>
internal sealed class RefutedQueries
{
    public const int Capacity = 4;

    private readonly double[] _amounts = new double[Capacity * TrackedKeys.Lanes];
    private readonly int[] _excuses = new int[Capacity];
    private int _count;

    /// <summary>Forgets every query: the block's nodes changed.</summary>
    public void Clear() => _count = 0;

    /// <summary>Whether a remembered query no harder than this one found nothing: every amount at most as large, at least as many excuses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // asked once per block a search reaches; usually empty
    public bool Cover(in Vector256<double> query, int excuses)
    {
        for (var entry = 0; entry < _count; entry++)
        {
            if (excuses <= _excuses[entry]
                && Vector256.GreaterThanOrEqualAll(query, Vector256.Create(_amounts.AsSpan(entry * TrackedKeys.Lanes, TrackedKeys.Lanes))))
                return true;
        }
        return false;
    }

    /// <summary>Remembers that this query found nothing, dropping remembered queries harder than it.</summary>
    public void Add(in Vector256<double> query, int excuses)
    {
        const int lanes = TrackedKeys.Lanes;
        var kept = 0;
        for (var entry = 0; entry < _count; entry++)
        {
            var remembered = Vector256.Create(_amounts.AsSpan(entry * lanes, lanes));
            if (_excuses[entry] <= excuses && Vector256.GreaterThanOrEqualAll(remembered, query))
                continue;
            if (kept != entry)
            {
                remembered.CopyTo(_amounts.AsSpan(kept * lanes, lanes));
                _excuses[kept] = _excuses[entry];
            }
            kept++;
        }
        if (kept == Capacity)
        {
            // Full: forget the oldest.
            Array.Copy(_amounts, lanes, _amounts, 0, (kept - 1) * lanes);
            Array.Copy(_excuses, 1, _excuses, 0, kept - 1);
            kept--;
        }
        query.CopyTo(_amounts.AsSpan(kept * lanes, lanes));
        _excuses[kept] = excuses;
        _count = kept + 1;
    }
}
