namespace Lighthouse.Placement;

/// <summary>
/// The resource keys a <see cref="NodeOrder"/> keeps compact copies of, numbered (a key's track) in the order
/// some workload first required them. Tracks below <see cref="Lanes"/> are packed per node, tracks below
/// <see cref="Masked"/> get presence and sign bits per node, and every track gets a per-block maximum.
/// Keys are tracked lazily and up to a cap, so the scheduler's one tag per task name costs a few numbers per
/// block per tag, not a column per tag.
/// </summary>
internal sealed class TrackedKeys(int capacity)
{
    /// <summary>Tracks whose quantities are packed per node: one 256-bit vector of doubles.</summary>
    public const int Lanes = 4;

    /// <summary>Tracks that get presence and sign bits per node: one bit each of a ulong.</summary>
    public const int Masked = 64;

    private readonly int _capacity = Math.Max(capacity, 0);
    private readonly List<int> _keys = [];
    private int[] _trackOfKey = [];

    public int Count => _keys.Count;

    /// <summary>The key id on <paramref name="track"/>.</summary>
    public int KeyOf(int track) => _keys[track];

    /// <summary>The track of a key id, or -1 when it is not tracked.</summary>
    public int TrackOf(int key) => key >= 0 && key < _trackOfKey.Length ? _trackOfKey[key] : -1;

    /// <summary>Gives an untracked key id the next track; false when the cap is reached.</summary>
    public bool TryAdd(int key, out int track)
    {
        if (_keys.Count >= _capacity)
        {
            track = -1;
            return false;
        }
        if (key >= _trackOfKey.Length)
        {
            var previous = _trackOfKey.Length;
            Array.Resize(ref _trackOfKey, Math.Max(key + 1, previous * 2));
            Array.Fill(_trackOfKey, -1, previous, _trackOfKey.Length - previous);
        }
        track = _keys.Count;
        _keys.Add(key);
        _trackOfKey[key] = track;
        return true;
    }
}
