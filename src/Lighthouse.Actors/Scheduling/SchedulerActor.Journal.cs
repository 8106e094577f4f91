using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lighthouse.Persistence;

namespace Lighthouse.Scheduling;

// The journal side of the scheduler: recovery, writes in batches, snapshots, and what a failed write does.
public sealed partial class SchedulerActor
{
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SchedulerSnapshot snapshot } offer:
                _state = SchedulerState.Restore(_settings, snapshot.Image);
                _lastSnapshot = offer.Metadata.SequenceNr;
                break;
            case SchedulerEvent change:
                _state.Apply(change);
                _sinceSnapshot++;
                break;
            case RecoveryCompleted:
                Recovered();
                break;
        }
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Error(reason, "the scheduler cannot recover its state from the {0}: {1}", _persistence.Describe(), reason.Message);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "writing scheduler event {0} ({1}) to the {2} failed: {3}; the scheduler stops without answering " +
            "what depended on it, and its successor recovers from what the journal holds", sequenceNr, @event.GetType().Name, _persistence.Describe(), cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>
    /// The journal refused an event (it could not be encoded). It is already applied here, so carrying on
    /// would leave this state ahead of the journal: stop, as on a failed write.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "the journal rejected scheduler event {0} ({1}): {2}; the scheduler stops and recovers from the journal",
            sequenceNr, @event.GetType().Name, cause.Message);
        Context.Stop(Self);
    }

    /// <summary>Answers after every write already gathered or under way (at once in memory, or when nothing is pending).</summary>
    private void Reply(object reply, IActorRef to)
    {
        if (!_persistence.IsDurable) to.Tell(reply);
        else if (!_batch.IsEmpty) _batch.AddAfter(() => to.Tell(reply));
        else DeferAsync(reply, r => to.Tell(r));
    }

    /// <summary>
    /// Dispatch memos are derived: they only save asking the engine again, and a recovered engine has to be
    /// asked anyway. Every other event is a fact the state cannot be rebuilt without.
    /// </summary>
    private static bool IsJournaled(SchedulerEvent change) => change is not TaskUnplaced;

    /// <summary>
    /// Recovery is over: the state is what the journal held, but the placement engine is new and no node has
    /// an agent. The engine gets the nodes (in registration order) and the running tasks' reservations; the
    /// nodes are unreachable until their workers register again, for at most the recovery grace period.
    /// </summary>
    private void Recovered()
    {
        var nodes = _state.NodesInRegistrationOrder().ToList();
        foreach (var node in nodes) _strategy.Tell(new AddWorkerNode(SchedulerState.RegistrationOf(node)));
        foreach (var task in _state.RunningTasks()) _strategy.Tell(SchedulerState.PinOf(task));
        foreach (var node in nodes) _strategy.Tell(new SetNodeReachable(node.Name, false));
        if (_state.Tasks.Count > 0 || nodes.Count > 0)
        {
            _log.Info("the scheduler recovered from the {0}: {1} queued and {2} running tasks, {3} worker nodes; waiting up to {4} for those nodes to register again",
                _persistence.Describe(), _state.Queues.Queued, _state.Queues.Running, nodes.Count, _persistence.RecoveryGrace);
        }
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

    /// <summary>Writes the gathered events as one batch; follow-ups run as the journal confirms them.</summary>
    private void Flush()
    {
        _flushScheduled = false;
        if (_batch.IsEmpty) return;
        var (events, progress) = _batch.Take();
        PersistAllAsync(events, _ =>
        {
            _inFlight--;
            _sinceSnapshot++;
            progress.Written();
            if (progress.Complete) SnapshotIfDue();
        });
    }

    private void SnapshotIfDue()
    {
        if (_sinceSnapshot >= _persistence.SnapshotEvery) _snapshotDue = true;
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
