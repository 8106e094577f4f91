namespace Lighthouse.Scheduling;

/// <summary>Where a shape's waitlist stands in <see cref="UserQueues"/>' index.</summary>
internal enum WaitlistPlace
{
    /// <summary>No user waits for the shape.</summary>
    None,
    /// <summary>In the open index: the engine may be asked about it.</summary>
    Open,
    /// <summary>Set aside until capacity grows (or a node changes).</summary>
    BlockedUntilCapacity,
    /// <summary>Set aside until a node is added or becomes reachable.</summary>
    BlockedUntilNodeChange,
}

/// <summary>
/// The users with queued tasks of one placement shape, fairest first, and the shape's place in
/// <see cref="UserQueues"/>' index. While open, the shape is sorted by a copy of its fairest user's key.
/// </summary>
internal sealed class ShapeWaitlist(PlacementShape shape, IComparer<UserQueue> fairOrder)
{
    public PlacementShape Shape { get; } = shape;
    public SortedSet<UserQueue> Users { get; } = new(fairOrder);
    public WaitlistPlace Place { get; set; }

    // The fairest user's key when last indexed (the open index sorts by these, not by the live user).
    public int OpenRunning { get; set; }
    public int OpenWeight { get; set; }
    public long OpenWaitingSince { get; set; }

    /// <summary>Position in the blocked list it sits in, for O(1) removal.</summary>
    public int BlockedSlot { get; set; } = -1;
}
