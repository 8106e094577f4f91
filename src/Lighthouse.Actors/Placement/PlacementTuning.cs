namespace Lighthouse.Placement;

/// <summary>
/// Knobs of the search structures. They change speed and memory, never a decision; tests shrink them so
/// that small scenarios exercise block splits and merges, compaction and the tracked-key cap.
/// </summary>
/// <param name="BlockCapacity">Nodes per block of a <see cref="NodeOrder"/> before it splits.</param>
/// <param name="CompactionMinimum">Holes left by removed nodes tolerated in the node list before it is compacted (also needs more holes than nodes).</param>
/// <param name="MaxTrackedKeys">Resource keys that get block maxima (and, for the first 64, per-node bits); searches and explanations on further keys stay exact but read the nodes themselves.</param>
internal sealed record PlacementTuning(int BlockCapacity = 128, int CompactionMinimum = 64, int MaxTrackedKeys = 64)
{
    public static PlacementTuning Default { get; } = new();
}
