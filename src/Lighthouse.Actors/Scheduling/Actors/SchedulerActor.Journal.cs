using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lighthouse.Persistence;

namespace Lighthouse.Scheduling;

// The journal side of the scheduler: recovery, writes in batches, snapshots, and what a failed write does.
public sealed partial class SchedulerActor
{
    // Events gathered or being written (durable mode only), and snapshots.
    private readonly JournalBatch _batch = new();
    private bool _flushScheduled;
    private int _inFlight;
    private int _sinceSnapshot;
    private bool _snapshotDue;
    private long _lastSnapshot;

    // A journal write is under way (its rows not all confirmed yet); events gathered meanwhile wait for it to complete.
    private bool _writing;

    // A write waits for the placement request out with the strategy (see Flush).
    private bool _flushAfterPlacement;

    // When this incarnation was created, for the recovery's duration in its log line (a fail-over's phase, issue 13).
    private readonly long _createdAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private int _recoveredRows;

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SchedulerSnapshot snapshot } offer:
                _state = SchedulerState.Restore(_settings, snapshot.Image);
                _lastSnapshot = offer.Metadata.SequenceNr;
                break;
            case EventBatch row:
                foreach (var change in row.Events) _state.Apply(change);
                _sinceSnapshot += row.Events.Count;
                _recoveredRows++;
                break;
            // A journal written before events were batched: one event per row.
            case SchedulerEvent change:
                _state.Apply(change);
                _sinceSnapshot++;
                _recoveredRows++;
                break;
            case RecoveryCompleted:
                Recovered();
                break;
        }
    }

    /// <summary>
    /// Recovery failed: the actor stops and nothing is written. A row that cannot be decoded is named by its
    /// sequence number (the one after the last row applied), so that an operator can find it in the journal table.
    /// </summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (Undecodable(reason) is { } damage)
        {
            _log.Error(reason, "the scheduler cannot recover its state from the {0}: the journal row of \"{1}\" after sequence number {2} " +
                "cannot be read: {3}; nothing was written, and the scheduler stops", _persistence.Describe(), PersistenceId, LastSequenceNr, damage.Message);
        }
        else
        {
            _log.Error(reason, "the scheduler cannot recover its state from the {0}: {1}", _persistence.Describe(), reason.Message);
        }
        base.OnRecoveryFailure(reason, message);
    }

    private static System.Runtime.Serialization.SerializationException? Undecodable(Exception? reason)
    {
        for (var e = reason; e is not null; e = e.InnerException)
        {
            if (e is System.Runtime.Serialization.SerializationException damage) return damage;
            if (e is AggregateException { InnerExceptions.Count: 1 } single) return Undecodable(single.InnerExceptions[0]);
        }
        return null;
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "writing journal row {0} ({1}) to the {2} failed: {3}; the scheduler stops without answering " +
            "what depended on it, and its successor recovers from what the journal holds", sequenceNr, Describe(@event), _persistence.Describe(), cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused a row (it could not be encoded). Its events are already applied here, so carrying on
    /// would leave this state ahead of the journal: stop, as on a failed write.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "the journal rejected row {0} ({1}): {2}; the scheduler stops and recovers from the journal",
            sequenceNr, Describe(@event), cause.Message);
        Context.Stop(Self);
    }

    private static string Describe(object row) => row is EventBatch batch
        ? $"{batch.Events.Count} scheduler event(s): {string.Join(", ", batch.Events.Select(e => e.GetType().Name).Distinct().Take(5))}"
        : row.GetType().Name;

    /// <summary>
    /// Dispatch memos are derived: they only save asking the engine again, and a recovered engine has to be
    /// asked anyway. Every other event is a fact the state cannot be rebuilt without.
    /// </summary>
    private static bool IsJournaled(SchedulerEvent change) => change is not TaskUnplaced;

    /// <summary>
    /// Recovery is over: the state is what the journal held, but the placement engine is new and no node has
    /// an agent. The engine is rebuilt from the state (nodes in registration order, the running tasks' reservations);
    /// the nodes are unreachable until their workers register again, for at most the recovery grace period.
    /// </summary>
    private void Recovered()
    {
        // A long replay is paid once: the next recovery (a fail-over, a restart) loads this snapshot instead. The chaos
        // run measured 4.0-4.4 s to replay ~80,000 events of ~31,000 tasks; a snapshot of 100,000 loads in ~1.5 s.
        if (_sinceSnapshot >= _persistence.SnapshotEvery)
        {
            SaveSnapshot(new SchedulerSnapshot(_state.Capture()));
            _sinceSnapshot = 0;
        }
        ArmAlarms();
        var nodes = _state.NodesInRegistrationOrder().ToList();
        _strategy.Tell(TaskPlacer.RebuildOf(_state));
        if (_state.Tasks.Count > 0 || nodes.Count > 0)
        {
            var took = $"in {System.Diagnostics.Stopwatch.GetElapsedTime(_createdAt).TotalMilliseconds:0} ms ({_state.Tasks.Count} tasks, {_recoveredRows} journal rows after the snapshot at {_lastSnapshot})";
            _log.Info("the scheduler recovered from the {0} {1}: {2} queued and {3} running tasks, {4} worker nodes; waiting up to {5} for those nodes to register again",
                _persistence.Describe(), took, _state.Queues.Queued, _state.Queues.Running, nodes.Count, _persistence.RecoveryGrace);
        }
        // A cancel down a dependency chain decided before the stop but not written: decided again (docs/task-policies.md).
        if (_state.HasFollowUps) Record(_state.DecideFollowUps(Now), dispatch: false);
        if (nodes.Count == 0) return;
        Record(nodes.Where(n => n.Reachable).Select(n => (SchedulerEvent)new NodeReachabilityChanged(n.Name, false, Now)).ToList());
        Timers.StartSingleTimer(RecoveryGraceTimer, RecoveryGraceOver.Instance, _persistence.RecoveryGrace);
    }

    /// <summary>Nodes recovered from the journal that have not registered again are lost: their tasks are re-queued.</summary>
    private void GraceOver()
    {
        var away = _state.Nodes.All.Select(n => n.Name).Where(n => !_links.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        foreach (var node in away)
            Lose(node, $"it did not register again within {_persistence.RecoveryGrace} of the scheduler's recovery");
    }

    /// <summary>
    /// Writes the gathered events as one journal row (<see cref="EventBatch"/>); their follow-ups run once the
    /// journal confirms it. Very many or very large events make several rows, persisted together so that the
    /// journal writes them in one transaction too.
    /// While a write is under way, events keep gathering and go as one row when it completes: Akka would hold
    /// a second write until then anyway (one outstanding write per persistent actor), so waiting costs nothing,
    /// and a busy scheduler writes one row per transaction however many mailbox drains it made meanwhile.
    /// <para>
    /// A placement request out with the strategy holds the write back until its answers are applied, which then
    /// write at once, before the next request goes out: so a submission and its start go in one row, and a lone task
    /// waits for two durable writes instead of three. The hold lasts one round trip to an in-process actor.
    /// </para>
    /// </summary>
    private void Flush()
    {
        // The write under way flushes when it completes; until then no further FlushJournal is needed.
        if (_writing) return;
        // After a pause nothing is written until the fence opens, which flushes (SchedulerActor.Fence).
        if (Fenced()) return;
        // Not while a snapshot is due: it stashes every message, the placement's answers included, until this write is in.
        if (_placing && !_snapshotDue && !_batch.IsEmpty)
        {
            _flushAfterPlacement = true;
            return;
        }
        _flushAfterPlacement = false;
        _flushScheduled = false;
        if (_batch.IsEmpty) return;
        var (rows, progress) = _batch.Take();
        _writing = true;
        PersistAllAsync(rows, written =>
        {
            var count = written.Events.Count;
            _inFlight -= count;
            _sinceSnapshot += count;
            progress.Written(count);
            if (!progress.Complete) return;
            _writing = false;
            SnapshotIfDue();
            if (_flushScheduled) Flush();
        });
    }

    private void SnapshotIfDue()
    {
        if (_sinceSnapshot >= Math.Max(_persistence.SnapshotEvery, (long)_persistence.SnapshotEventsPerTask * _state.Tasks.Count)) _snapshotDue = true;
        if (!_snapshotDue || _inFlight > 0) return;
        SaveSnapshot(new SchedulerSnapshot(_state.Capture()));
        _sinceSnapshot = 0;
        _snapshotDue = false;
        Stash.UnstashAll();
    }

    /// <summary>
    /// A snapshot is saved. The journal keeps the events after the snapshot before it, and that snapshot, so
    /// one damaged snapshot still leaves a way to recover; older ones go.
    /// </summary>
    private void Snapshotted(long sequenceNr)
    {
        var older = _lastSnapshot;
        _lastSnapshot = sequenceNr;
        if (older <= 0) return;
        DeleteMessages(older);
        DeleteSnapshots(new SnapshotSelectionCriteria(older - 1));
    }
}
