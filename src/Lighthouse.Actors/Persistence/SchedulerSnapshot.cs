using Lighthouse.Scheduling;

namespace Lighthouse.Persistence;

/// <summary>
/// What the scheduler saves as its snapshot: its state captured as plain data at one point of the journal.
/// The capture is taken on the scheduler's own thread; the snapshot store encodes it later on its own,
/// which is safe because the image shares nothing that changes.
/// </summary>
internal sealed record SchedulerSnapshot(SchedulerImage Image);
