using Akka.Actor;
using Akka.Event;

namespace Lighthouse.Scheduling;

// A graceful hand-over (the host leaves: SIGTERM, a rolling restart): the singleton manager's termination message.
public sealed partial class SchedulerActor
{
    private const string HandOverTimer = "hand-over";

    /// <summary>
    /// Below this many events since the last snapshot the successor's replay is short: no snapshot on the way out.
    /// </summary>
    internal const int HandOverSnapshotFrom = 1_000;

    /// <summary>How long the leaving scheduler waits for its snapshot before it stops anyway (the successor then replays).</summary>
    internal static readonly TimeSpan HandOverSnapshotLimit = TimeSpan.FromSeconds(3);

    private bool _handingOver;

    /// <summary>
    /// Hands over: a durable scheduler with a long journal tail since its last snapshot writes what it gathered, saves a
    /// snapshot and only then stops, so its successor loads that snapshot instead of replaying the tail (the chaos
    /// run measured 2.2–4.9 s of replay before a successor answered at full retention). Messages that come meanwhile wait
    /// like during any snapshot and go unanswered when it stops; clients resend them to the successor, which maps a
    /// resent submission id to its task. A fenced scheduler, an in-memory one or one with a short tail stops at once.
    /// </summary>
    private void HandOver()
    {
        if (_handingOver) return;
        _handingOver = true;
        if (!_persistence.IsDurable || Fenced() || _sinceSnapshot < HandOverSnapshotFrom)
        {
            Context.Stop(Self);
            return;
        }
        _log.Info("handing the scheduler over: saving a snapshot of {0} tasks first ({1} events since the last one)", _state.Tasks.Count, _sinceSnapshot);
        Timers.StartSingleTimer(HandOverTimer, HandOverDeadline.Instance, HandOverSnapshotLimit);
        _snapshotDue = true;
        Flush();
        SnapshotIfDue();
    }

    /// <summary>The hand-over's snapshot is saved (or failed, or took too long): stop.</summary>
    private void HandedOver()
    {
        if (_handingOver) Context.Stop(Self);
    }
}
