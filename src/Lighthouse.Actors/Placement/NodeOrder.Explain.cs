namespace Lighthouse.Placement;

/// <summary>
/// Explanations from the blocks' copies: fit rules 1 and 2 are read from the presence and sign bits and the
/// packed quantities (exact copies of the nodes' current ones), and a whole block is settled at once when
/// none of its nodes has the first required key or all have too little of it. A node goes to the caller's
/// full examination only when it passes rules 1 and 2 (rule 3 and the filter remain) or when the copies
/// cannot decide (a key beyond the tracked ones, or a positive amount of an unpacked key).
/// </summary>
internal sealed partial class NodeOrder
{
    /// <summary>
    /// Counts into <paramref name="explanation"/> why each node from <paramref name="from"/> on refuses the
    /// workload, handing <paramref name="examine"/> the nodes the copies cannot settle.
    /// </summary>
    public void Explain(Cursor from, CompiledWorkload workload, ExplanationBuilder explanation, Action<NodeState> examine)
    {
        var keys = new ExplainedKeys(this, workload);
        for (var index = from.Block; index < _blocks.Count; index++)
        {
            var block = _blocks[index];
            var first = index == from.Block ? from.Item : 0;
            if (!keys.Decidable)
            {
                for (var item = first; item < block.Count; item++)
                    examine(block.Items[item]);
                continue;
            }
            if (first == 0 && keys.SettleBlock(block))
                continue;
            for (var item = first; item < block.Count; item++)
            {
                if (!keys.Refuses(block, item))
                    examine(block.Items[item]);
            }
        }
        keys.CountInto(explanation);
    }

    /// <summary>The workload's required keys (in name order) as tracks, and the counts of what refused it.</summary>
    private sealed class ExplainedKeys
    {
        private readonly CompiledWorkload _workload;
        private readonly int[] _tracks;
        private readonly ulong _requiredMask;
        private readonly int[] _missing;
        private readonly int[] _notANumber;
        private readonly int[] _tooLittle;

        public ExplainedKeys(NodeOrder order, CompiledWorkload workload)
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
                if (track >= MaskedKeys || (id >= 0 && track < 0))
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
                if (track >= Lanes)
                {
                    // Unpacked: a non-negative quantity minus a non-positive amount is >= 0 and never NaN
                    // (the tag case); anything else needs the node itself.
                    if (amount <= 0 && (block.NonNegative[item] & (1UL << track)) != 0)
                        continue;
                    return false;
                }
                var left = block.Packed[item * Lanes + track] - amount;
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
}
