namespace Lighthouse.Placement;

/// <summary>
/// One workload's required keys (in name order) as tracks of a <see cref="NodeOrder"/>, and the counts of the fit
/// rules that refused it, judged from a block's copies for <see cref="ExplanationScan"/>.
/// </summary>
internal sealed class RefusalTally
{
    private readonly CompiledWorkload _workload;
    private readonly int[] _tracks;
    private readonly ulong _requiredMask;
    private readonly int[] _missing;
    private readonly int[] _notANumber;
    private readonly int[] _tooLittle;

    public RefusalTally(NodeOrder order, CompiledWorkload workload)
    {
        _workload = workload;
        var count = workload.RequiredIds.Length;
        _tracks = new int[count];
        _missing = new int[count];
        _notANumber = new int[count];
        _tooLittle = new int[count];
        Decidable = true;
        for (var index = 0; index < count; index++)
        {
            // A key no node has is missing everywhere: no bit needed. Any other must have bits.
            var id = workload.RequiredIds[index];
            var track = id < 0 ? -1 : order.TrackFor(id);
            _tracks[index] = track;
            if (track >= TrackedKeys.Masked || (id >= 0 && track < 0))
                Decidable = false;
            else if (track >= 0)
                _requiredMask |= 1UL << track;
        }
    }

    /// <summary>Whether every required key has bits (or exists nowhere), so that rule 1 can be read from them.</summary>
    public bool Decidable { get; }

    /// <summary>Counts a whole block at once when its aggregates decide every node the same way.</summary>
    public bool SettleBlock(NodeBlock block)
    {
        if (_tracks.Length == 0)
            return false;
        var track = _tracks[0];
        if (track < 0 || (block.PresentAny & (1UL << track)) == 0)
        {
            _missing[0] += block.Count;
            return true;
        }
        // Every node has every required key, and every quantity of the first is below its amount
        // (so none is -Infinity minus -Infinity either: no NaN).
        if ((block.PresentAll & _requiredMask) == _requiredMask && !_workload.RequiresUnknownKey
            && !_workload.Immune[0] && block.Max[track] < _workload.Amounts[0])
        {
            _tooLittle[0] += block.Count;
            return true;
        }
        return false;
    }

    /// <summary>Rules 1 and 2 from the copies; false when the node passes both or the copies cannot tell.</summary>
    public bool Refuses(NodeBlock block, int item)
    {
        var present = block.Present[item];
        if ((present & _requiredMask) != _requiredMask || _workload.RequiresUnknownKey)
        {
            for (var index = 0; index < _tracks.Length; index++)
            {
                if (_tracks[index] < 0 || (present & (1UL << _tracks[index])) == 0)
                {
                    _missing[index]++;
                    return true;
                }
            }
        }
        for (var index = 0; index < _tracks.Length; index++)
        {
            var track = _tracks[index];
            var amount = _workload.Amounts[index];
            if (track >= TrackedKeys.Lanes)
            {
                // Unpacked: a non-negative quantity minus a non-positive amount is >= 0 and never NaN
                // (the tag case); anything else needs the node itself.
                if (amount <= 0 && (block.NonNegative[item] & (1UL << track)) != 0)
                    continue;
                return false;
            }
            var left = block.Packed[item * TrackedKeys.Lanes + track] - amount;
            if (double.IsNaN(left))
            {
                _notANumber[index]++;
                return true;
            }
            if (left < 0 && !_workload.Immune[index])
            {
                _tooLittle[index]++;
                return true;
            }
        }
        return false;
    }

    public void CountInto(ExplanationBuilder explanation)
    {
        for (var index = 0; index < _tracks.Length; index++)
        {
            var key = _workload.RequiredNames[index];
            explanation.Count(new Rejection(RejectionReason.MissingKey, key), _missing[index]);
            explanation.Count(new Rejection(RejectionReason.ArithmeticNaN, key), _notANumber[index]);
            explanation.Count(new Rejection(RejectionReason.Insufficient, key), _tooLittle[index]);
        }
    }
}
